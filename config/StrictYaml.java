//DEPS org.yaml:snakeyaml:2.5

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * YAML read as strictly as Go's {@code yaml.UnmarshalStrict} reads the exporter toolkit's files: plain data only
 * (no tags that build objects), a duplicate key is an error, and every mapping says which keys it knows, so a
 * misspelt key stops the program instead of being ignored. Problems name the key path:
 * {@code exporters.cisco.modules.dc1.args[2]: expected a string, got a number}.
 */
final class StrictYaml {
    private StrictYaml() {
    }

    /** The document's top mapping; an empty document is an empty mapping. */
    static Mapping parse(String text) throws ConfigException {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(10);
        Object document;
        try {
            document = new Yaml(new SafeConstructor(options)).load(text);
        } catch (YAMLException e) {
            throw new ConfigException("not valid YAML: " + e.getMessage().strip().replaceAll("\\s*\\n\\s*", " "));
        }
        if (document == null) {
            return new Mapping("", Map.of());
        }
        return mapping("", document);
    }

    /** What a YAML value is, as the messages say it. */
    static String kind(Object value) {
        if (value == null) {
            return "nothing";
        } else if (value instanceof String) {
            return "a string";
        } else if (value instanceof Boolean) {
            return "a boolean";
        } else if (value instanceof Number) {
            return "a number";
        } else if (value instanceof List) {
            return "a list";
        } else if (value instanceof Map) {
            return "a mapping";
        }
        return "a " + value.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
    }

    static String string(String path, Object value) throws ConfigException {
        if (value instanceof String text) {
            return text;
        }
        throw new ConfigException(path + ": expected a string, got " + kind(value)
                + (value instanceof Number || value instanceof Boolean ? " (quote it)" : ""));
    }

    static Mapping mapping(String path, Object value) throws ConfigException {
        if (!(value instanceof Map<?, ?> map)) {
            throw new ConfigException((path.isEmpty() ? "the file" : path) + ": expected a mapping, got " + kind(value));
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (!(entry.getKey() instanceof String key)) {
                throw new ConfigException(join(path, String.valueOf(entry.getKey())) + ": a key must be a string, got "
                        + kind(entry.getKey()) + " (quote it)");
            }
            values.put(key, entry.getValue());
        }
        return new Mapping(path, values);
    }

    static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** A mapping at a key path; absent keys and keys given no value ({@code key:}) read as not set. */
    static final class Mapping {
        private final String path;
        private final Map<String, Object> values;

        Mapping(String path, Map<String, Object> values) {
            this.path = path;
            this.values = Collections.unmodifiableMap(values);
        }

        String path() {
            return path;
        }

        /** The path of one of this mapping's keys. */
        String at(String key) {
            return join(path, key);
        }

        Set<String> keys() {
            return values.keySet();
        }

        boolean isEmpty() {
            return values.isEmpty();
        }

        boolean has(String key) {
            return values.get(key) != null;
        }

        Object raw(String key) {
            return values.get(key);
        }

        /** Refuses any key but these, naming the first unknown one and the known ones. */
        Mapping only(String... known) throws ConfigException {
            List<String> allowed = List.of(known);
            for (String key : values.keySet()) {
                if (!allowed.contains(key)) {
                    throw new ConfigException(at(key) + ": unknown key; known keys" + (path.isEmpty() ? "" : " here")
                            + ": " + String.join(", ", allowed));
                }
            }
            return this;
        }

        Optional<String> string(String key) throws ConfigException {
            Object value = values.get(key);
            return value == null ? Optional.empty() : Optional.of(StrictYaml.string(at(key), value));
        }

        /** A string that must not be empty when given. */
        Optional<String> nonEmptyString(String key) throws ConfigException {
            Optional<String> value = string(key);
            if (value.isPresent() && value.get().isBlank()) {
                throw new ConfigException(at(key) + ": must not be empty");
            }
            return value;
        }

        boolean bool(String key, boolean fallback) throws ConfigException {
            Object value = values.get(key);
            if (value == null) {
                return fallback;
            }
            if (value instanceof Boolean b) {
                return b;
            }
            throw new ConfigException(at(key) + ": expected true or false, got " + kind(value));
        }

        /** A list of strings; an absent key is an empty list. */
        List<String> strings(String key) throws ConfigException {
            List<String> result = new ArrayList<>();
            List<?> items = list(key);
            for (int i = 0; i < items.size(); i++) {
                result.add(StrictYaml.string(at(key) + "[" + i + "]", items.get(i)));
            }
            return List.copyOf(result);
        }

        List<?> list(String key) throws ConfigException {
            Object value = values.get(key);
            if (value == null) {
                return List.of();
            }
            if (value instanceof List<?> items) {
                return items;
            }
            throw new ConfigException(at(key) + ": expected a list, got " + kind(value));
        }

        /** A nested mapping; an absent key is an empty mapping. */
        Mapping mapping(String key) throws ConfigException {
            Object value = values.get(key);
            return value == null ? new Mapping(at(key), Map.of()) : StrictYaml.mapping(at(key), value);
        }
    }
}
