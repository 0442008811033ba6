import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The Kubernetes manifests under {@code deploy/}: built with kustomize ({@code kubectl kustomize}), read back, and
 * checked against the Kubernetes and prometheus-operator schemas by {@code deploy/validate/validate.mjs} with the
 * npm packages pinned in its package-lock.json, installed once per lock file into the metrics cache.
 */
final class Manifests {
    private Manifests() {
    }

    static Path deploy() {
        return Project.root().resolve("deploy");
    }

    /** {@code kubectl kustomize DIR}: the documents it prints, as text. */
    static String build(Path kustomization) {
        String kubectl = Commands.require("kubectl", "kubectl (a kubectl with kustomize, 1.27 or later)");
        Commands.Result result = Commands.run(List.of(kubectl, "kustomize", kustomization.toString()), Project.root(),
                Map.of(), Duration.ofMinutes(2));
        assertEquals(0, result.exit(), "kubectl kustomize " + kustomization + " failed:\n" + result.describe());
        return result.out();
    }

    /** The documents of a multi-document YAML text, each a map. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> documents(String yaml) {
        List<Map<String, Object>> documents = new ArrayList<>();
        for (Object document : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(yaml)) {
            if (document != null) {
                documents.add((Map<String, Object>) document);
            }
        }
        return documents;
    }

    /** The one document of that kind. */
    static Map<String, Object> only(List<Map<String, Object>> documents, String kind) {
        List<Map<String, Object>> found = documents.stream().filter(d -> kind.equals(d.get("kind"))).toList();
        assertEquals(1, found.size(), "documents of kind " + kind);
        return found.get(0);
    }

    /** A value down a path of map keys and list indexes ({@code "spec", "containers", 0, "name"}). */
    @SuppressWarnings("unchecked")
    static <T> T at(Object root, Object... path) {
        Object here = root;
        for (Object step : path) {
            if (step instanceof Integer index && here instanceof List<?> list && index < list.size()) {
                here = list.get(index);
            } else if (step instanceof String key && here instanceof Map<?, ?> map && map.containsKey(key)) {
                here = map.get(key);
            } else {
                return fail("no " + step + " in " + here + " (path " + List.of(path) + ")");
            }
        }
        return (T) here;
    }

    /** Runs the schema validation on a multi-document YAML text: its exit code and one line per document. */
    static Commands.Result validate(String yaml, Path work) {
        Path validator = installedValidator();
        try {
            Path input = Files.writeString(work.resolve("manifests-" + System.nanoTime() + ".yaml"), yaml);
            return Commands.run(List.of(node(), validator.resolve("validate.mjs").toString(), input.toString()),
                    validator, Map.of(), Duration.ofMinutes(3));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String node() {
        return Commands.require("node", "nodejs npm (Node.js 18 or later)");
    }

    /**
     * deploy/validate with its node_modules, in the cache under a name that is the hash of the lock file: {@code npm
     * ci} installs exactly the locked versions (their integrity hashes checked) once; validate.mjs is copied each time.
     */
    private static synchronized Path installedValidator() {
        Path source = deploy().resolve("validate");
        try {
            String lock = BuildCache.sha256(Files.readAllBytes(source.resolve("package-lock.json"))).substring(0, 16);
            Path target = Cache.directory().resolve("kubernetes-validate").resolve(lock);
            if (!Files.isRegularFile(target.resolve("installed"))) {
                String npm = Commands.require("npm", "npm (with Node.js 18 or later)");
                node();
                Files.createDirectories(target);
                for (String file : List.of("package.json", "package-lock.json")) {
                    Files.copy(source.resolve(file), target.resolve(file), StandardCopyOption.REPLACE_EXISTING);
                }
                Commands.Result install = Commands.run(List.of(npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund",
                        "--loglevel=error"), target, Map.of(), Duration.ofMinutes(5));
                if (install.exit() != 0) {
                    fail("npm ci of deploy/validate failed (the npm registry must be reachable once):\n" + install.describe());
                }
                Files.writeString(target.resolve("installed"), "npm ci of " + source + "\n");
            }
            Files.copy(source.resolve("validate.mjs"), target.resolve("validate.mjs"), StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
