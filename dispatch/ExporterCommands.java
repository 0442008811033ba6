//DEPS dev.jbang:jbang-cli:0.132.1
//DEPS com.google.code.gson:gson:2.13.2

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
    private static final String FORMAT = "metrics-exporter-command 2";
    /** The line by which an exporter asks for a fresh process per run (e.g. because it spawns daemons). */
    static final String FRESH_DIRECTIVE = "//METRICS_MODE fresh";
    /**
     * G1 for a short-lived JVM too: on JDK 17 only G1 maps the heap objects of a class-data archive (the module
     * graph, interned strings), which starts a JVM faster than the simpler Serial GC does without them.
     */
    static final List<String> FRESH_GC_OPTIONS = List.of("-XX:+UseG1GC");
    /** A short-lived JVM spends less CPU without the optimizing compiler. */
    static final List<String> FRESH_JVM_OPTIONS = List.of("-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1",
            FRESH_GC_OPTIONS.get(0), "-XX:-UsePerfData", "-Xshare:auto");
    /**
     * A worker lives long: full JIT, one GC thread, a small young generation (an exporter run makes little
     * garbage, and a large one only grows the resident set) and a bounded heap. An exporter's own
     * //RUNTIME_OPTIONS come after these, so it can ask for more.
     */
    static final List<String> WORKER_JVM_OPTIONS = List.of("-XX:+UseSerialGC", "-Xmn8m", "-Xmx128m", "-Xss512k",
            "-XX:ReservedCodeCacheSize=32m", "-XX:MaxHeapFreeRatio=30", "-XX:MinHeapFreeRatio=10");

    private final Path cacheDirectory;

    ExporterCommands(Path cacheDirectory) {
        this.cacheDirectory = cacheDirectory;
    }

    static ExporterCommands standard() {
        return new ExporterCommands(Cache.directory().resolve("commands"));
    }

    /** How an exporter runs under the server: a fresh JVM per run, or runs in a long-lived worker JVM. */
    enum Mode {
        FRESH, WARM;

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * A resolved exporter: how to start its JVM, the files it was built from (with a fingerprint of their
     * content, which changes whenever a worker must be replaced) and the mode its script asks for.
     */
    record Resolved(String java, List<String> runtimeOptions, String classpath, String mainClass, Mode mode,
            List<Path> sources, String fingerprint, boolean fromCache) {

        /** A JVM that runs the exporter once: its main, tuned for a short life. */
        List<String> command() {
            return command(List.of());
        }

        /** The same, with more JVM options (a class-data archive: see ClassDataArchive). */
        List<String> command(List<String> jvmOptions) {
            List<String> command = new ArrayList<>();
            command.add(java);
            command.addAll(FRESH_JVM_OPTIONS);
            command.addAll(jvmOptions);
            command.addAll(runtimeOptions);
            command.addAll(List.of("-classpath", classpath, mainClass));
            return command;
        }

        /** A long-lived JVM that runs the exporter many times (see exporters/lib/ExporterWorker.java). */
        List<String> workerCommand() {
            List<String> command = new ArrayList<>();
            command.add(java);
            command.addAll(WORKER_JVM_OPTIONS);
            command.addAll(runtimeOptions);
            command.addAll(List.of("-classpath", classpath, "ExporterWorker", mainClass));
            return command;
        }

        Resolved withFromCache(boolean cached) {
            return new Resolved(java, runtimeOptions, classpath, mainClass, mode, sources, fingerprint, cached);
        }
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
        Resolved written = readValid(entry);
        if (written == null) {
            throw new IOException("a source of " + absolute + " changed while it was being built; try again");
        }
        return written.withFromCache(false);
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
        String java = null;
        String classpath = null;
        String mainClass = null;
        Mode mode = Mode.WARM;
        List<String> options = new ArrayList<>();
        List<Path> sources = new ArrayList<>();
        StringBuilder fingerprint = new StringBuilder();
        try {
            for (String line : lines.subList(1, lines.size())) {
                int space = line.indexOf(' ');
                String kind = line.substring(0, space);
                String value = line.substring(space + 1);
                switch (kind) {
                    case "source" -> {
                        int split = value.indexOf(' ');
                        Path path = Path.of(value.substring(split + 1));
                        String hash = value.substring(0, split);
                        if (!hash.equals(sha256(Files.readAllBytes(path)))) {
                            return null;
                        }
                        sources.add(path);
                        fingerprint.append(hash);
                    }
                    case "needs" -> {
                        if (!Files.exists(Path.of(value))) {
                            return null;
                        }
                    }
                    case "java" -> java = value;
                    case "option" -> options.add(value);
                    case "classpath" -> classpath = value;
                    case "main" -> mainClass = value;
                    case "mode" -> mode = Mode.valueOf(value);
                    default -> {
                        return null;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        if (java == null || classpath == null || mainClass == null) {
            return null;
        }
        return new Resolved(java, List.copyOf(options), classpath, mainClass, mode, List.copyOf(sources),
                sha256(fingerprint.toString().getBytes(StandardCharsets.UTF_8)), true);
    }

    private static void write(Path entry, Resolved resolved) throws IOException {
        StringBuilder text = new StringBuilder(FORMAT).append('\n');
        for (Path source : resolved.sources()) {
            text.append("source ").append(sha256(Files.readAllBytes(source))).append(' ').append(source).append('\n');
        }
        for (String jar : resolved.classpath().split(java.io.File.pathSeparator)) {
            text.append("needs ").append(jar).append('\n');
        }
        text.append("java ").append(resolved.java()).append('\n');
        for (String option : resolved.runtimeOptions()) {
            text.append("option ").append(option).append('\n');
        }
        text.append("classpath ").append(resolved.classpath()).append('\n');
        text.append("main ").append(resolved.mainClass()).append('\n');
        text.append("mode ").append(resolved.mode().name()).append('\n');
        Files.createDirectories(entry.getParent());
        Exposition.writeAtomically(entry, text.toString()); // concurrent readers never see half an entry
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
        List<String> options = new ArrayList<>();
        for (JsonElement option : array(info, "runtimeOptions")) {
            options.add(option.getAsString());
        }
        List<Path> sources = new ArrayList<>();
        for (JsonElement each : array(info, "sources")) {
            sources.add(Path.of(each.getAsJsonObject().get("backingResource").getAsString()));
        }
        Mode mode = Files.readAllLines(source, StandardCharsets.UTF_8).stream()
                .anyMatch(line -> line.strip().equals(FRESH_DIRECTIVE)) ? Mode.FRESH : Mode.WARM;
        return new Resolved(Path.of(jdk, "bin", "java").toString(), List.copyOf(options),
                String.join(java.io.File.pathSeparator, classpath), info.get("mainClass").getAsString(), mode,
                List.copyOf(sources), "", false);
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
