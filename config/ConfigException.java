/**
 * A configuration file that cannot be used: the message names the key path and the problem
 * ({@code tls_server_config.min_version: unknown value 'TLS9'; one of TLS10, TLS11, TLS12, TLS13}).
 */
final class ConfigException extends Exception {
    ConfigException(String message) {
        super(message);
    }

    /** An I/O failure in words (Java's exceptions often carry only the path). */
    static String describe(java.io.IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file";
        } else if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        } else if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getMessage();
    }

    /** The same problem, told with the file it is in: {@code web.yml: basic_auth_users.alice: ...}. */
    ConfigException in(java.nio.file.Path file) {
        return new ConfigException(file + ": " + getMessage());
    }
}
