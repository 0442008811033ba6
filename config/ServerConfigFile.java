import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The file of {@code --config.file}: per exporter, modules (the operator's settings, chosen by {@code ?module=}),
 * which query options a scraper may pass, and which targets it may name.
 * <pre>
 * exporters:
 *   cisco:
 *     allow_query_options: [target]        # optional; without it, any option the modules do not set
 *     allowed_targets: [sw1, 10.0.0.0/8]   # optional; names, IP addresses, networks, "discovery"
 *     targets: [sw1, {target: sw2, module: dc1}]   # for discovery; a module per target if wanted
 *     modules:
 *       dc1:
 *         args: ["--snmp-version=3", "--username=monitor"]
 *         env: {CISCO_AUTH_PASSWORD: {file: /run/secrets/auth}, CISCO_PRIV_PASSWORD: {env: DC1_PRIV}}
 *         allowed_targets: [discovery]     # optional; replaces the exporter's list for this module
 * </pre>
 * Rules of {@link #decide}: the module is the operator's, the query the scraper's, so a query may not pass an
 * option its module sets, nor (with {@code allow_query_options}) any option not listed, nor a short option
 * ({@code -u}) where it could hide a long one the module sets. With an allow-list, every {@code target} of the query
 * must be on it ({@link TargetAllowList}: no DNS). {@code discovery} in a list means the {@code targets} that
 * discovery gives with the module of the run (those without a module for a run without one). An exporter the file
 * does not name runs as without a file. Secrets belong in {@code env}: {@code args} show in logs and process lists.
 */
final class ServerConfigFile {
    static final ServerConfigFile NONE = new ServerConfigFile(Map.of(), Map.of());
    private static final Pattern EXPORTER_NAME = Pattern.compile("[A-Za-z0-9_-]+");
    private static final Pattern MODULE_NAME = Pattern.compile("[A-Za-z0-9_.-]+");
    private static final Pattern OPTION_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern TARGET = Pattern.compile("[A-Za-z0-9_.:\\[\\]-]+");

    private final Map<String, Exporter> exporters;
    private final Map<String, String> environment;

    record Exporter(String name, Optional<Set<String>> allowQueryOptions, Optional<TargetAllowList> allowedTargets,
            List<Target> targets, Map<String, Module> modules) {
        /** The targets discovery gives for runs with this module (null: without one). */
        Set<String> discoveryTargets(String module) {
            Set<String> result = new LinkedHashSet<>();
            for (Target target : targets) {
                if (target.module().orElse(null) == null ? module == null : target.module().get().equals(module)) {
                    result.add(target.target());
                }
            }
            return result;
        }
    }

    record Module(String name, List<String> args, Map<String, Secret> env, Optional<TargetAllowList> allowedTargets) {
        /** The long options the module sets, without dashes: {@code --username=x} and {@code --username x} give username. */
        Set<String> options() {
            Set<String> names = new LinkedHashSet<>();
            for (String arg : args) {
                if (arg.startsWith("--")) {
                    names.add(optionName(arg));
                }
            }
            return names;
        }
    }

    /** A target for discovery, with the module to scrape it with, if any. */
    record Target(String target, Optional<String> module) {
    }

    /** What {@link #decide} answers: a run, or a refusal for the scraper (HTTP 400). */
    sealed interface Decision {
    }

    /**
     * The module (null: none), the exporter's arguments (module's first, then the query's) and the environment to
     * add to the server's.
     */
    record Run(String module, List<String> arguments, Map<String, String> environment) implements Decision {
        @Override
        public String toString() {
            return "Run[module=" + module + ", arguments=" + arguments + ", environment=" + environment.keySet()
                    + " (values hidden)]";
        }
    }

    record Refused(String message) implements Decision {
    }

    private ServerConfigFile(Map<String, Exporter> exporters, Map<String, String> environment) {
        this.exporters = exporters;
        this.environment = environment;
    }

    /** Reads the file; {@code environment} is the server's, for {@code {env: NAME}} values. */
    static ServerConfigFile load(Path file, Map<String, String> environment) throws ConfigException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + ConfigException.describe(e));
        }
        try {
            return parse(text, file.toAbsolutePath().getParent(), environment);
        } catch (ConfigException e) {
            throw e.in(file);
        }
    }

    /** Parses a file's text; relative secret files are taken from {@code directory}. */
    static ServerConfigFile parse(String text, Path directory, Map<String, String> environment)
            throws ConfigException {
        StrictYaml.Mapping root = StrictYaml.parse(text).only("exporters");
        StrictYaml.Mapping all = root.mapping("exporters");
        Map<String, Exporter> exporters = new LinkedHashMap<>();
        for (String name : all.keys()) {
            if (!EXPORTER_NAME.matcher(name).matches()) {
                throw new ConfigException(all.at(name) + ": not an exporter name (" + EXPORTER_NAME + ")");
            }
            exporters.put(name, exporter(name, all.mapping(name), directory, environment));
        }
        return new ServerConfigFile(Map.copyOf(exporters), Map.copyOf(environment));
    }

    private static Exporter exporter(String name, StrictYaml.Mapping yaml, Path directory,
            Map<String, String> environment) throws ConfigException {
        yaml.only("allow_query_options", "allowed_targets", "targets", "modules");
        Optional<Set<String>> allowQueryOptions = Optional.empty();
        if (yaml.raw("allow_query_options") != null) {
            List<String> options = yaml.strings("allow_query_options");
            for (int i = 0; i < options.size(); i++) {
                if (!OPTION_NAME.matcher(options.get(i)).matches()) {
                    throw new ConfigException(yaml.at("allow_query_options") + "[" + i + "]: '" + options.get(i)
                            + "' is not an option name; write it without dashes, e.g. target");
                }
            }
            allowQueryOptions = Optional.of(Set.copyOf(options));
        }
        Map<String, Module> modules = new LinkedHashMap<>();
        StrictYaml.Mapping modulesYaml = yaml.mapping("modules");
        for (String moduleName : modulesYaml.keys()) {
            if (!MODULE_NAME.matcher(moduleName).matches()) {
                throw new ConfigException(modulesYaml.at(moduleName) + ": not a module name (" + MODULE_NAME + ")");
            }
            modules.put(moduleName, module(moduleName, modulesYaml.mapping(moduleName), directory, environment));
        }
        List<Target> targets = new ArrayList<>();
        List<?> items = yaml.list("targets");
        for (int i = 0; i < items.size(); i++) {
            targets.add(target(yaml.at("targets") + "[" + i + "]", items.get(i), modules.keySet()));
        }
        return new Exporter(name, allowQueryOptions, allowList(yaml), List.copyOf(targets), Map.copyOf(modules));
    }

    private static Module module(String name, StrictYaml.Mapping yaml, Path directory, Map<String, String> environment)
            throws ConfigException {
        yaml.only("args", "env", "allowed_targets");
        List<String> args = yaml.strings("args");
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String where = yaml.at("args") + "[" + i + "]";
            if (arg.equals("--")) {
                throw new ConfigException(where + ": '--' would turn the query's options into arguments");
            }
            if (arg.matches("-[A-Za-z].*")) {
                throw new ConfigException(where + ": '" + arg + "': write the long option (--name=value), so that "
                        + "the server can tell which options the module sets");
            }
            if (arg.startsWith("--") && !OPTION_NAME.matcher(optionName(arg)).matches()) {
                throw new ConfigException(where + ": '" + arg + "' is not an option (--name=value)");
            }
        }
        Map<String, Secret> env = new LinkedHashMap<>();
        StrictYaml.Mapping envYaml = yaml.mapping("env");
        for (String key : envYaml.keys()) {
            if (!ENV_NAME.matcher(key).matches()) {
                throw new ConfigException(envYaml.at(key) + ": not an environment variable name");
            }
            env.put(key, secret(envYaml.at(key), envYaml.raw(key), directory, environment));
        }
        return new Module(name, args, java.util.Collections.unmodifiableMap(env), allowList(yaml));
    }

    private static Secret secret(String where, Object value, Path directory, Map<String, String> environment)
            throws ConfigException {
        if (value instanceof String text) {
            return new Secret.Inline(text);
        }
        if (!(value instanceof Map)) {
            throw new ConfigException(where + ": expected a string, {file: PATH} or {env: NAME}, got "
                    + StrictYaml.kind(value) + (value instanceof Number || value instanceof Boolean ? " (quote it)" : ""));
        }
        StrictYaml.Mapping source = StrictYaml.mapping(where, value).only("file", "env");
        if (source.keys().size() != 1) {
            throw new ConfigException(where + ": give one of file or env");
        }
        if (source.has("file")) {
            Path file = directory.resolve(source.nonEmptyString("file").orElseThrow()).normalize();
            if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                throw new ConfigException(source.at("file") + ": cannot read " + file);
            }
            return new Secret.FromFile(file);
        }
        String name = source.nonEmptyString("env").orElseThrow(
                () -> new ConfigException(source.at("env") + ": must not be empty"));
        if (!environment.containsKey(name)) {
            throw new ConfigException(source.at("env") + ": the server's environment has no " + name);
        }
        return new Secret.FromEnv(name);
    }

    private static Target target(String path, Object item, Set<String> modules) throws ConfigException {
        String where = path;
        String target;
        Optional<String> module = Optional.empty();
        if (item instanceof Map) {
            StrictYaml.Mapping yaml = StrictYaml.mapping(path, item).only("target", "module");
            target = yaml.nonEmptyString("target").orElseThrow(() -> new ConfigException(path + ": no target"));
            module = yaml.nonEmptyString("module");
            if (module.isPresent() && !modules.contains(module.get())) {
                throw new ConfigException(yaml.at("module") + ": no module '" + module.get() + "' in this exporter");
            }
            where = yaml.at("target");
        } else {
            target = StrictYaml.string(where, item);
        }
        if (!TARGET.matcher(target).matches()) {
            throw new ConfigException(where + ": '" + target + "' is not HOST, HOST:PORT or [IPv6]:PORT");
        }
        return new Target(target, module);
    }

    private static Optional<TargetAllowList> allowList(StrictYaml.Mapping yaml) throws ConfigException {
        if (yaml.raw("allowed_targets") == null) {
            return Optional.empty();
        }
        return Optional.of(TargetAllowList.parse(yaml.at("allowed_targets"), yaml.strings("allowed_targets")));
    }

    Map<String, Exporter> exporters() {
        return exporters;
    }

    /** The discovery targets of an exporter (empty if the file does not name it). */
    List<Target> targets(String exporter) {
        Exporter found = exporters.get(exporter);
        return found == null ? List.of() : found.targets();
    }

    /**
     * Decides a request from its query arguments, as {@code ExporterArguments} gives them ({@code --target=sw1},
     * {@code --community=x}); {@code --module=NAME} among them selects the module, as blackbox's {@code ?module=}.
     */
    Decision decide(String exporter, List<String> queryArguments) {
        String module = null;
        List<String> rest = new ArrayList<>();
        for (String argument : queryArguments) {
            if (argument.equals("--module") || argument.startsWith("--module=")) {
                if (module != null) {
                    return new Refused("query parameter 'module' is given twice");
                }
                module = argument.equals("--module") ? "" : argument.substring("--module=".length());
                if (module.isEmpty()) {
                    return new Refused("query parameter 'module' needs a value");
                }
            } else {
                rest.add(argument);
            }
        }
        return decide(exporter, module, rest);
    }

    /** Decides a request: {@code module} may be null; {@code queryArguments} hold no module. */
    Decision decide(String exporterName, String moduleName, List<String> queryArguments) {
        Exporter exporter = exporters.get(exporterName);
        Module module = null;
        if (moduleName != null) {
            module = exporter == null ? null : exporter.modules().get(moduleName);
            if (module == null) {
                return new Refused("unknown module '" + moduleName + "' for exporter " + exporterName
                        + (exporter == null || exporter.modules().isEmpty() ? ": it has no modules"
                        : "; modules: " + String.join(", ", new java.util.TreeSet<>(exporter.modules().keySet()))));
            }
        }
        if (exporter == null) {
            return new Run(null, List.copyOf(queryArguments), Map.of());
        }
        Set<String> moduleOptions = module == null ? Set.of() : module.options();
        List<String> targets = new ArrayList<>();
        for (String argument : queryArguments) {
            if (!argument.startsWith("-")) {
                return new Refused("query argument '" + argument + "' is not an option");
            }
            String name = optionName(argument);
            if (name.isEmpty()) {
                return new Refused("query option '" + argument + "' has no name");
            }
            if (!argument.startsWith("--") && (module != null || exporter.allowQueryOptions().isPresent())) {
                return new Refused("query option '" + name + "': give the long name of the option; short ones "
                        + "cannot be checked against the configuration");
            }
            if (exporter.allowQueryOptions().isPresent() && !exporter.allowQueryOptions().get().contains(name)) {
                return new Refused("query option '" + name + "' is not allowed for exporter " + exporterName
                        + (exporter.allowQueryOptions().get().isEmpty() ? "; it takes none"
                        : "; allowed: " + String.join(", ", new java.util.TreeSet<>(exporter.allowQueryOptions().get()))));
            }
            if (moduleOptions.contains(name)) {
                return new Refused("query option '" + name + "' is set by module " + moduleName
                        + "; a query cannot change a module's settings");
            }
            if (name.equals("target")) {
                int equals = argument.indexOf('=');
                if (equals < 0 || equals == argument.length() - 1) {
                    return new Refused("query option 'target' needs a value");
                }
                for (String target : argument.substring(equals + 1).split(",", -1)) {
                    targets.add(target);
                }
            }
        }
        Optional<TargetAllowList> allowList = module != null && module.allowedTargets().isPresent()
                ? module.allowedTargets() : exporter.allowedTargets();
        if (allowList.isPresent()) {
            Set<String> discovered = exporter.discoveryTargets(moduleName);
            for (String target : targets) {
                if (!allowList.get().allows(target, discovered)) {
                    return new Refused("target '" + target + "' is not allowed for exporter " + exporterName
                            + (module == null ? "" : " with module " + moduleName)
                            + " (allowed_targets; a name must be listed as it is written: names are not resolved)");
                }
            }
        }
        List<String> arguments = new ArrayList<>();
        Map<String, String> environment = new LinkedHashMap<>();
        if (module != null) {
            arguments.addAll(module.args());
            for (Map.Entry<String, Secret> entry : module.env().entrySet()) {
                environment.put(entry.getKey(), entry.getValue().reveal(this.environment));
            }
        }
        arguments.addAll(queryArguments);
        return new Run(moduleName, List.copyOf(arguments), java.util.Collections.unmodifiableMap(environment));
    }

    /** {@code --name=value}, {@code --name} and {@code -n} give name, name and n. */
    static String optionName(String argument) {
        String bare = argument.replaceFirst("^-+", "");
        int equals = bare.indexOf('=');
        return equals < 0 ? bare : bare.substring(0, equals);
    }

    @Override
    public String toString() {
        return "ServerConfigFile" + exporters;
    }
}
