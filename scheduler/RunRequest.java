import java.util.List;
import java.util.Map;

/**
 * What a request asks the scheduler for: an exporter, the module of the server's configuration it runs with
 * (null: none), its arguments (the module's, then the query's), and the module's environment, which its
 * workers get (never the query's, never shown: it may hold secrets).
 */
record RunRequest(String exporter, String module, List<String> arguments, Map<String, String> environment) {
    RunRequest {
        arguments = List.copyOf(arguments);
        environment = Map.copyOf(environment);
    }

    /** A plain request: no module. */
    static RunRequest of(String exporter, List<String> arguments) {
        return new RunRequest(exporter, null, arguments, Map.of());
    }

    /** The workers that may run it: one pool per exporter and module, as a module's environment is its JVMs'. */
    String poolKey() {
        return module == null ? exporter : exporter + "@" + module;
    }

    @Override
    public String toString() {
        return "RunRequest[" + poolKey() + " " + arguments + ", environment " + environment.keySet() + "]";
    }
}
