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
import java.util.function.Consumer;

/**
 * How to run an exporter, built by JBang once and then kept in a cache file: the entry records a SHA-256 of every
 * source file of the exporter (its //SOURCES included, as JBang reports them) and the jars it needs; when any
 * of them changed or vanished, JBang builds again. A hit reads a few small files: no JBang, no Maven, no javac.
 */
final class BuildCache {
    private static final String FORMAT = "metrics-exporter-build 3";

    private final Path directory;

    BuildCache(Path directory) {
        this.directory = directory;
    }

    static BuildCache standard() {
        return new BuildCache(Cache.directory().resolve("commands"));
    }

    /**
     * The build of {@code source}: from the cache when still valid, else by JBang (seconds to minutes), saying so
     * first through {@code progress}.
     */
    BuiltExporter resolve(Path source, Consumer<String> progress) throws IOException, InterruptedException {
        Path absolute = source.toAbsolutePath().normalize();
        Path entry = directory.resolve(sha256(absolute.toString().getBytes(StandardCharsets.UTF_8)) + ".cmd");
        BuiltExporter cached = readValid(entry);
        if (cached != null) {
            return cached;
        }
        progress.accept("building " + absolute + " with JBang (its first run, or a source changed)");
        write(entry, build(absolute));
        BuiltExporter written = readValid(entry);
        if (written == null) {
            throw new IOException("a source of " + absolute + " changed while it was being built; try again");
        }
        return written;
    }

    private static BuiltExporter readValid(Path entry) {
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
        BuiltExporter.Mode mode = BuiltExporter.Mode.WARM;
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
                    case "mode" -> mode = BuiltExporter.Mode.valueOf(value);
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
        return new BuiltExporter(java, List.copyOf(options), classpath, mainClass, mode, List.copyOf(sources),
                sha256(fingerprint.toString().getBytes(StandardCharsets.UTF_8)));
    }

    private static void write(Path entry, BuiltExporter built) throws IOException {
        StringBuilder text = new StringBuilder(FORMAT).append('\n');
        for (Path source : built.sources()) {
            text.append("source ").append(sha256(Files.readAllBytes(source))).append(' ').append(source).append('\n');
        }
        for (String jar : built.classpath().split(java.io.File.pathSeparator)) {
            text.append("needs ").append(jar).append('\n');
        }
        text.append("java ").append(built.java()).append('\n');
        for (String option : built.runtimeOptions()) {
            text.append("option ").append(option).append('\n');
        }
        text.append("classpath ").append(built.classpath()).append('\n');
        text.append("main ").append(built.mainClass()).append('\n');
        text.append("mode ").append(built.mode().name()).append('\n');
        Files.createDirectories(entry.getParent());
        Exposition.writeAtomically(entry, text.toString()); // concurrent readers never see half an entry
    }

    /** Builds with JBang (which compiles only what changed) and asks it for the run's class path. */
    private static BuiltExporter build(Path source) throws IOException, InterruptedException {
        BuiltExporter.Mode mode = mode(source);
        JBang.run("build", source.toString());
        JsonObject info = JsonParser.parseString(JBang.run("info", "tools", source.toString())).getAsJsonObject();
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
        return new BuiltExporter(Path.of(jdk, "bin", "java").toString(), List.copyOf(options),
                String.join(java.io.File.pathSeparator, classpath), info.get("mainClass").getAsString(), mode,
                List.copyOf(sources), "");
    }

    /** The script's {@code //METRICS_MODE} line; warm without one. */
    static BuiltExporter.Mode mode(Path source) throws IOException {
        for (String line : Files.readAllLines(source, StandardCharsets.UTF_8)) {
            String stripped = line.strip();
            if (stripped.startsWith(BuiltExporter.MODE_DIRECTIVE + " ")) {
                String label = stripped.substring(BuiltExporter.MODE_DIRECTIVE.length()).strip();
                try {
                    return BuiltExporter.Mode.of(label);
                } catch (IllegalArgumentException e) {
                    throw new IOException(source + ": " + BuiltExporter.MODE_DIRECTIVE + " " + e.getMessage());
                }
            }
        }
        return BuiltExporter.Mode.WARM;
    }

    private static JsonArray array(JsonObject object, String name) {
        return object.has(name) ? object.getAsJsonArray(name) : new JsonArray();
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
