import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds an exporter's source by name along a search path of exporter directories, first match wins:
 * the directories in {@code METRICS_EXPORTERS} (colon-separated), {@code ./exporters}, then the
 * exporters bundled with the running script. In each, {@code NAME.java} then {@code NAME/NAME.java}.
 */
final class ExporterLocator {
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]+");
    static final String PATH_ENV = "METRICS_EXPORTERS";
    /** The base class lives beside the exporters but is not one. */
    private static final String BASE_CLASS = "Exporter";

    private final List<Path> directories;

    ExporterLocator(List<Path> directories) {
        this.directories = List.copyOf(directories);
    }

    /** The standard search path (the bundled exporters are unpacked once per build of the script). */
    static ExporterLocator standard(Map<String, String> env, Path workingDirectory, Class<?> script) {
        List<Path> directories = new ArrayList<>();
        String path = env.getOrDefault(PATH_ENV, "");
        for (String entry : path.split(":")) {
            if (!entry.isBlank()) {
                directories.add(workingDirectory.resolve(entry).normalize());
            }
        }
        directories.add(workingDirectory.resolve("exporters"));
        BundledExporters.directory(script).ifPresent(directories::add);
        return new ExporterLocator(directories);
    }

    static boolean isValidName(String name) {
        return name != null && NAME.matcher(name).matches() && !name.equals(BASE_CLASS);
    }

    List<Path> directories() {
        return directories;
    }

    /** The source of exporter {@code name}, or empty (also for an invalid name: nothing outside is looked at). */
    Optional<Path> find(String name) {
        if (!isValidName(name)) {
            return Optional.empty();
        }
        for (Path directory : directories) {
            for (Path candidate : candidates(directory, name)) {
                if (Files.isRegularFile(candidate)) {
                    return Optional.of(candidate.toAbsolutePath().normalize());
                }
            }
        }
        return Optional.empty();
    }

    /** Every place {@link #find} looks, for the "not found" message. */
    List<Path> searched(String name) {
        List<Path> places = new ArrayList<>();
        for (Path directory : directories) {
            places.addAll(candidates(directory, name));
        }
        return places;
    }

    /** All exporters on the search path, by name (the first one found for each name). */
    Map<String, Path> all() {
        Map<String, Path> found = new TreeMap<>();
        for (Path directory : directories) {
            if (!Files.isDirectory(directory)) {
                continue;
            }
            try (Stream<Path> entries = Files.list(directory)) {
                entries.forEach(entry -> {
                    String file = entry.getFileName().toString();
                    String name = file.endsWith(".java") ? file.substring(0, file.length() - 5) : file;
                    if (isValidName(name) && !found.containsKey(name)) {
                        find(name).ifPresent(source -> found.put(name, source));
                    }
                });
            } catch (IOException e) {
                // an unreadable directory holds no exporters
            }
        }
        return found;
    }

    private static List<Path> candidates(Path directory, String name) {
        return List.of(directory.resolve(name + ".java"), directory.resolve(name).resolve(name + ".java"));
    }
}
