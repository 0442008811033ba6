import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A value of a module's {@code env}: written in the file ({@code KEY: value}), read from a file at each run
 * ({@code KEY: {file: /run/secrets/x}}, surrounding whitespace dropped, as Prometheus reads its {@code *_file}s), or
 * taken from the server's own environment ({@code KEY: {env: NAME}}). {@link #toString()} never shows a value.
 */
sealed interface Secret {
    /** The value; a file that cannot be read any more is an {@link UncheckedIOException} (a 500, not a 400). */
    String reveal(Map<String, String> environment);

    record Inline(String value) implements Secret {
        @Override
        public String reveal(Map<String, String> environment) {
            return value;
        }

        @Override
        public String toString() {
            return "<hidden>";
        }
    }

    record FromFile(Path file) implements Secret {
        @Override
        public String reveal(Map<String, String> environment) {
            try {
                return Files.readString(file, StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file + ": " + ConfigException.describe(e), e);
            }
        }

        @Override
        public String toString() {
            return "{file: " + file + "}";
        }
    }

    record FromEnv(String name) implements Secret {
        @Override
        public String reveal(Map<String, String> environment) {
            String value = environment.get(name);
            if (value == null) {
                throw new IllegalStateException("the server's environment has no " + name);
            }
            return value;
        }

        @Override
        public String toString() {
            return "{env: " + name + "}";
        }
    }
}
