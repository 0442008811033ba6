///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//DEPS org.junit.jupiter:junit-jupiter:6.1.3
//DEPS org.junit.platform:junit-platform-launcher:6.1.3
//DEPS org.snmp4j:snmp4j:3.13.1
//SOURCES ../metrics.java
//SOURCES ../server.java
//SOURCES ../exporters/noop.java
//SOURCES ../exporters/dummy.java
//SOURCES ../exporters/cisco/*.java
//SOURCES fixtures/exporters/*.java
//SOURCES fixtures/pages/*.java
//SOURCES support/*.java
//SOURCES *Test.java
//DESCRIPTION Runs the test suite; arguments select test classes by name (e.g. PushTest).

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Runs every test class in this jar (or those named as arguments), after tests/setup.sh has made sure the tools
 * the tests use are installed; the last line is "N passed, N failed".
 */
public class run {
    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"); // Javalin apps of the tests, as the server's
        int setup = new ProcessBuilder("bash", Project.root().resolve("tests/setup.sh").toString()).inheritIO().start()
                .waitFor();
        if (setup != 0) {
            System.out.println("0 passed, 0 failed, 0 skipped: the test setup failed (exit " + setup + "), see above");
            System.exit(setup);
        }
        List<DiscoverySelector> selectors = new ArrayList<>();
        if (args.length == 0) {
            Path jar = Path.of(run.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            selectors.addAll(DiscoverySelectors.selectClasspathRoots(Set.of(jar)));
        } else {
            for (String name : args) {
                selectors.add(name.contains("#") ? DiscoverySelectors.selectMethod(name)
                        : DiscoverySelectors.selectClass(name));
            }
        }
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectors)
                .filters(org.junit.platform.engine.discovery.ClassNameFilter.includeClassNamePatterns(".*Test"))
                .build();
        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        LauncherFactory.create().execute(request, summary, new Progress());
        TestExecutionSummary result = summary.getSummary();
        result.printFailuresTo(new PrintWriter(System.out, true), 30);
        long failed = result.getTestsFailedCount() + result.getContainersFailedCount();
        System.out.println(result.getTestsSucceededCount() + " passed, " + failed + " failed, "
                + (result.getTestsSkippedCount() + result.getTestsAbortedCount()) + " skipped");
        System.exit(failed == 0 && result.getTestsFoundCount() > 0 ? 0 : 1);
    }

    /** One line per finished test, so a long run shows where it is, and each class's time. */
    static final class Progress implements TestExecutionListener {
        private final java.util.Map<String, Long> started = new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        public void executionStarted(TestIdentifier test) {
            started.put(test.getUniqueId(), System.nanoTime());
        }

        @Override
        public void executionFinished(TestIdentifier test, TestExecutionResult result) {
            Long start = started.remove(test.getUniqueId());
            if (start != null && test.getSource().filter(source -> source instanceof
                    org.junit.platform.engine.support.descriptor.ClassSource).isPresent()) {
                System.out.printf("time    %s %.1f s%n", test.getDisplayName(), (System.nanoTime() - start) / 1e9);
            }
            if (test.isTest() || result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
                String where = test.getParentIdObject().map(Object::toString).orElse("");
                String clazz = where.replaceAll(".*\\[class:([^\\]]*)\\].*", "$1");
                System.out.printf("%-7s %s %s%n", result.getStatus() == TestExecutionResult.Status.SUCCESSFUL
                        ? "ok" : result.getStatus().toString().toLowerCase(), clazz, test.getDisplayName());
            }
        }

        @Override
        public void executionSkipped(TestIdentifier test, String reason) {
            System.out.println("skipped " + test.getDisplayName() + ": " + reason);
        }
    }
}
