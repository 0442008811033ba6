//DEPS dev.jbang:jbang-cli:0.132.1
//DEPS com.google.code.gson:gson:2.13.2

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The java command that runs an exporter, resolved through JBang once and then kept in a cache file.
 * The entry records a SHA-256 of every source file of the exporter (its //SOURCES included, as JBang
 * reports them) and the jars it needs; when any of them changed or vanished, JBang builds again.
 * A cache hit costs reading a few small files: no JBang, no Maven, no compiler.
 */
final class ExporterCommands {
    private static final String FORMAT = "metrics-exporter-command 1";
    /** A short-lived JVM spends less CPU without the optimizing compiler and with the simplest GC. */
    static final List<String> FRESH_JVM_OPTIONS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto");

    private final Path cacheDirectory;

    ExporterCommands(Path cacheDirectory) {
        this.cacheDirectory = cacheDirectory;
    }

    static ExporterCommands standard() {
        return new ExporterCommands(Cache.directory().resolve("commands"));
    }

    /** A resolved exporter: the command that runs it and the files it was built from. */
    record Resolved(List<String> command, List<Path> sources, boolean fromCache) {
    }

    /** The command for {@code source}: from the cache when still valid, else built by JBang (slow). */
    Resolved resolve(Path source) throws IOException, InterruptedException {
        Path absolute = source.toAbsolutePath().normalize();
        Path entry = cacheDirectory.resolve(sha256(absolute.toString().getBytes(StandardCharsets.UTF_8)) + ".cmd");
        Resolved cached = readValid(entry);
        if (cached != null) {
            return cached;
        }
        Resolved built = build(absolute);
        write(entry, built);
        return built;
    }

    private static Resolved readValid(Path entry) {
        List<String> lines;
        try {
            lines = Files.readAllLines(entry, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
        if (lines.isEmpty() || !lines.get(0).equals(FORMAT)) {
            return null;
        }
        List<String> command = new ArrayList<>();
        List<Path> sources = new ArrayList<>();
        try {
            for (String line : lines.subList(1, lines.size())) {
                int space = line.indexOf(' ');
                String kind = line.substring(0, space);
                String value = line.substring(space + 1);
                switch (kind) {
                    case "source" -> {
                        int split = value.indexOf(' ');
                        Path path = Path.of(value.substring(split + 1));
                        if (!value.substring(0, split).equals(sha256(Files.readAllBytes(path)))) {
                            return null;
                        }
                        sources.add(path);
                    }
                    case "needs" -> {
                        if (!Files.exists(Path.of(value))) {
                            return null;
                        }
                    }
                    case "arg" -> command.add(value);
                    default -> {
                        return null;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return command.isEmpty() ? null : new Resolved(List.copyOf(command), List.copyOf(sources), true);
    }

    private static void write(Path entry, Resolved resolved) throws IOException {
        StringBuilder text = new StringBuilder(FORMAT).append('\n');
        for (Path source : resolved.sources()) {
            text.append("source ").append(sha256(Files.readAllBytes(source))).append(' ').append(source).append('\n');
        }
        int classpath = resolved.command().indexOf("-classpath") + 1;
        for (String jar : resolved.command().get(classpath).split(java.io.File.pathSeparator)) {
            text.append("needs ").append(jar).append('\n');
        }
        for (String arg : resolved.command()) {
            text.append("arg ").append(arg).append('\n');
        }
        Files.createDirectories(entry.getParent());
        Path temp = Files.createTempFile(entry.getParent(), ".entry", ".tmp");
        try {
            Files.writeString(temp, text, StandardCharsets.UTF_8);
            try {
                Files.move(temp, entry, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, entry, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Builds with JBang (which compiles only what changed) and asks it for the run's class path. */
    private static Resolved build(Path source) throws IOException, InterruptedException {
        jbang("build", source.toString());
        JsonObject info = JsonParser.parseString(jbang("info", "tools", source.toString())).getAsJsonObject();

        List<String> classpath = new ArrayList<>();
        classpath.add(info.get("applicationJar").getAsString());
        for (JsonElement dependency : array(info, "resolvedDependencies")) {
            classpath.add(dependency.getAsString());
        }
        String jdk = info.has("availableJdkPath") ? info.get("availableJdkPath").getAsString()
                : System.getProperty("java.home");
        List<String> command = new ArrayList<>();
        command.add(Path.of(jdk, "bin", "java").toString());
        command.addAll(FRESH_JVM_OPTIONS);
        for (JsonElement option : array(info, "runtimeOptions")) {
            command.add(option.getAsString());
        }
        command.add("-classpath");
        command.add(String.join(java.io.File.pathSeparator, classpath));
        command.add(info.get("mainClass").getAsString());

        List<Path> sources = new ArrayList<>();
        for (JsonElement each : array(info, "sources")) {
            sources.add(Path.of(each.getAsJsonObject().get("backingResource").getAsString()));
        }
        return new Resolved(List.copyOf(command), List.copyOf(sources), false);
    }

    private static JsonArray array(JsonObject object, String name) {
        return object.has(name) ? object.getAsJsonArray(name) : new JsonArray();
    }

    /** Runs JBang's CLI, from this script's own class path, in a child JVM; returns its stdout. */
    private static String jbang(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-classpath", System.getProperty("java.class.path"), "dev.jbang.Main", "--quiet"));
        command.addAll(List.of(args));
        Path stderr = Files.createTempFile("metrics-jbang", ".err");
        try {
            Process process = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectError(stderr.toFile())
                    .start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(10, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IOException("jbang " + String.join(" ", args) + " took more than 10 minutes");
            }
            if (process.exitValue() != 0) {
                throw new IOException("jbang " + String.join(" ", args) + " failed (exit " + process.exitValue()
                        + "):\n" + Files.readString(stderr).strip() + (out.isBlank() ? "" : "\n" + out.strip()));
            }
            return out;
        } finally {
            Files.deleteIfExists(stderr);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
