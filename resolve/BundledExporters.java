//FILES exporters/Exporter.java=../exporters/Exporter.java
//FILES exporters/harness/ExitCodes.java=../exporters/harness/ExitCodes.java
//FILES exporters/harness/RunOptions.java=../exporters/harness/RunOptions.java
//FILES exporters/harness/Exposition.java=../exporters/harness/Exposition.java
//FILES exporters/harness/Push.java=../exporters/harness/Push.java
//FILES exporters/harness/RunHarness.java=../exporters/harness/RunHarness.java
//FILES exporters/worker/WorkerProtocol.java=../exporters/worker/WorkerProtocol.java
//FILES exporters/worker/RunCapture.java=../exporters/worker/RunCapture.java
//FILES exporters/worker/WorkerMain.java=../exporters/worker/WorkerMain.java
//FILES exporters/dummy.java=../exporters/dummy.java
//FILES exporters/noop.java=../exporters/noop.java
//FILES exporters/cisco/cisco.java=../exporters/cisco/cisco.java
//FILES exporters/cisco/BgpMetrics.java=../exporters/cisco/BgpMetrics.java
//FILES exporters/cisco/CiscoMetrics.java=../exporters/cisco/CiscoMetrics.java
//FILES exporters/cisco/Families.java=../exporters/cisco/Families.java
//FILES exporters/cisco/InterfaceMetrics.java=../exporters/cisco/InterfaceMetrics.java
//FILES exporters/cisco/Mibs.java=../exporters/cisco/Mibs.java
//FILES exporters/cisco/PollGroup.java=../exporters/cisco/PollGroup.java
//FILES exporters/cisco/SnmpEngine.java=../exporters/cisco/SnmpEngine.java
//FILES exporters/cisco/Snmp4jSession.java=../exporters/cisco/Snmp4jSession.java
//FILES exporters/cisco/SnmpClient.java=../exporters/cisco/SnmpClient.java
//FILES exporters/cisco/SnmpSettings.java=../exporters/cisco/SnmpSettings.java
//FILES exporters/cisco/SnmpTable.java=../exporters/cisco/SnmpTable.java
//FILES exporters/cisco/SnmpValues.java=../exporters/cisco/SnmpValues.java
//FILES exporters/cisco/SnmpWalker.java=../exporters/cisco/SnmpWalker.java
//FILES exporters/cisco/SystemMetrics.java=../exporters/cisco/SystemMetrics.java
//FILES exporters/cisco/TargetAddress.java=../exporters/cisco/TargetAddress.java
//FILES exporters/cisco/TargetPoller.java=../exporters/cisco/TargetPoller.java
//FILES exporters/cisco/TargetReading.java=../exporters/cisco/TargetReading.java

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Enumeration;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The project's exporters travel inside the dispatcher's and the server's jar (the //FILES above,
 * which JBang fetches relative to this file, from disk or from a URL). When a script runs from a
 * catalog, far from any checkout, they are unpacked once into the cache and found there.
 */
final class BundledExporters {
    private static final String PREFIX = "exporters/";

    private BundledExporters() {
    }

    /** The unpacked directory, or empty when the script does not run from a jar with bundled exporters. */
    static Optional<Path> directory(Class<?> script) {
        Path jar;
        try {
            jar = Path.of(script.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (Exception e) {
            return Optional.empty();
        }
        if (!Files.isRegularFile(jar)) {
            return Optional.empty();
        }
        try {
            String version = Long.toHexString(Files.getLastModifiedTime(jar).toMillis()) + "-"
                    + Long.toHexString(Files.size(jar)) + "-" + Integer.toHexString(jar.toString().hashCode());
            Path target = Cache.directory().resolve("bundled").resolve(version);
            if (!Files.isDirectory(target)) {
                if (!bundles(jar)) { // a jar made without them (the image's server): nothing to write anywhere
                    return Optional.empty();
                }
                unpack(jar, target);
            }
            return Optional.of(target.resolve("exporters"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack the bundled exporters of " + jar, e);
        }
    }

    private static boolean bundles(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.stream().anyMatch(entry -> !entry.isDirectory() && entry.getName().startsWith(PREFIX));
        }
    }

    private static void unpack(Path jar, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        Path temp = Files.createTempDirectory(target.getParent(), ".unpack");
        try (JarFile file = new JarFile(jar.toFile())) {
            Enumeration<JarEntry> entries = file.entries();
            while (entries.hasMoreElements()) {
                JarEntry entry = entries.nextElement();
                String name = entry.getName();
                if (entry.isDirectory() || !name.startsWith(PREFIX) || name.contains("..")) {
                    continue;
                }
                Path out = temp.resolve(name);
                Files.createDirectories(out.getParent());
                try (InputStream in = file.getInputStream(entry)) {
                    Files.copy(in, out);
                }
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException raced) {
                if (!Files.isDirectory(target)) {
                    throw raced;
                }
            }
        } finally {
            Cache.deleteRecursively(temp);
        }
    }
}
