///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//DEPS org.junit.jupiter:junit-jupiter:6.1.3
//DEPS org.junit.platform:junit-platform-launcher:6.1.3
//DEPS org.snmp4j:snmp4j:3.13.1
//SOURCES ../metrics.java
//SOURCES ../server.java
//SOURCES ../exporters/cisco/Mibs.java
//SOURCES ../exporters/cisco/SnmpClient.java
//SOURCES ../exporters/cisco/SnmpTable.java
//SOURCES ../exporters/cisco/SnmpWalker.java
//SOURCES ../exporters/cisco/SnmpValues.java
//SOURCES ../exporters/cisco/SnmpSettings.java
//SOURCES ../exporters/cisco/SnmpEngine.java
//SOURCES ../exporters/cisco/Snmp4jSession.java
//SOURCES ../exporters/cisco/TargetAddress.java
//SOURCES ../exporters/cisco/PollGroup.java
//SOURCES ../exporters/cisco/TargetReading.java
//SOURCES ../exporters/cisco/TargetPoller.java
//SOURCES ../exporters/cisco/Families.java
//SOURCES ../exporters/cisco/InterfaceMetrics.java
//SOURCES ../exporters/cisco/BgpMetrics.java
//SOURCES ../exporters/cisco/SystemMetrics.java
//SOURCES ../exporters/cisco/CiscoMetrics.java
//SOURCES ../exporters/cisco/cisco.java
//SOURCES support/Project.java
//SOURCES support/Commands.java
//SOURCES support/Pushgateway.java
//SOURCES support/Promtool.java
//SOURCES support/ServerProcess.java
//SOURCES support/Prometheus.java
//SOURCES support/Snmpsim.java
//SOURCES support/Snmpd.java
//SOURCES support/SnmpAgents.java
//SOURCES support/SnmpRecording.java
//SOURCES support/SnmpProxy.java
//SOURCES CiscoExposition.java
//SOURCES ExporterHarnessTest.java
//SOURCES QuickOptionsTest.java
//SOURCES ../exporters/noop.java
//SOURCES ../exporters/dummy.java
//SOURCES ExporterLocatorTest.java
//SOURCES ExporterCommandsTest.java
//SOURCES ClassDataArchiveTest.java
//SOURCES DispatcherTest.java
//SOURCES PushTest.java
//SOURCES CatalogTest.java
//SOURCES ServerUnitTest.java
//SOURCES ServerTest.java
//SOURCES ServerLifecycleTest.java
//SOURCES PrometheusTest.java
//SOURCES WorkerTest.java
//SOURCES CiscoMappingTest.java
//SOURCES CiscoSnmpsimTest.java
//SOURCES CiscoSnmpdTest.java
//SOURCES CiscoServerTest.java
//SOURCES CiscoRealDevicesTest.java
//SOURCES CiscoAgentFaultsTest.java
//SOURCES CiscoConcurrencyTest.java
//SOURCES PrepareExportersTest.java
//SOURCES LauncherCacheTest.java
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

/** Runs every test class in this jar (or those named as arguments); the last line is "N passed, N failed". */
public class run {
    public static void main(String[] args) throws Exception {
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

    /** One line per finished test, so a long run shows where it is. */
    static final class Progress implements TestExecutionListener {
        @Override
        public void executionFinished(TestIdentifier test, TestExecutionResult result) {
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
