import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Binds a command's {@code @Option} fields straight from its arguments, for the plain cases, without
 * building picocli's model: that model costs a short-lived JVM about 0.1 s of CPU, more than the rest of
 * a simple exporter's run. Whenever anything is not plain (help, an unknown or repeated option, a value
 * that looks like an option, an option kind or type not handled here, a missing required option, a
 * grouping key to check), it changes nothing and returns false, and picocli parses as usual: every error
 * message still comes from picocli. QuickOptionsTest checks that both bind the same values.
 *
 * <p>The annotations are read from the class files (ClassFileAnnotations), not through reflection, and
 * converters are called by reflection: this class never loads picocli.
 */
final class QuickOptions {
    private static final String PICOCLI = "Lpicocli/CommandLine$";
    private static final String OPTION = PICOCLI + "Option;";
    private static final String MIXIN = PICOCLI + "Mixin;";
    private static final String SPEC = PICOCLI + "Spec;";
    /** Field annotations that mean "not plain". */
    private static final String PARAMETERS = PICOCLI + "Parameters;";
    private static final List<String> REFUSED = List.of(PARAMETERS, PICOCLI + "Unmatched;",
            PICOCLI + "ArgGroup;", PICOCLI + "ParentCommand;");
    /** Options whose values picocli checks beyond their type (see RunOptions.validate): always picocli's. */
    private static final String PICOCLI_ONLY = "--grouping-key";

    private QuickOptions() {
    }

    /** What this class needs of one {@code @Option}: the values it declares (absent ones are picocli's defaults). */
    private static final class OptionSpec {
        final List<String> names = new ArrayList<>();
        boolean required;
        String defaultValue; // null: none
        final List<String> converters = new ArrayList<>(); // class descriptors
    }

    /** A field to set, on the object that holds it: the command or one of its mixins (a plain class: a record's
     * equals would be bootstrapped through method handles, which costs a short JVM milliseconds). */
    private static final class Target {
        final Object holder;
        final Field field;
        final OptionSpec option;

        Target(Object holder, Field field, OptionSpec option) {
            this.holder = holder;
            this.field = field;
            this.option = option;
        }
    }

    /** Thrown inside to say "not plain: leave it to picocli". */
    private static final class NotPlain extends Exception {
        NotPlain() {
            super(null, null, false, false);
        }
    }

    /** Binds {@code args} to {@code command}'s options and returns true, or returns false having changed nothing. */
    static boolean bind(Object command, String[] args) {
        try {
            Map<String, Target> byName = new HashMap<>();
            List<Target> targets = new ArrayList<>();
            collect(command, byName, targets, 0);
            Map<Target, Object> values = new LinkedHashMap<>();
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                int equals = arg.indexOf('=');
                String name = equals < 0 ? arg : arg.substring(0, equals);
                Target target = byName.get(name);
                if (target == null || name.equals(PICOCLI_ONLY)) {
                    throw new NotPlain();
                }
                Class<?> type = target.field.getType();
                if (type == boolean.class || type == Boolean.class) {
                    if (equals >= 0 || values.containsKey(target)) {
                        throw new NotPlain();
                    }
                    values.put(target, Boolean.TRUE);
                    continue;
                }
                String value;
                if (equals >= 0) {
                    value = arg.substring(equals + 1);
                } else if (i + 1 < args.length && !args[i + 1].startsWith("-")) {
                    value = args[++i];
                } else {
                    throw new NotPlain();
                }
                if (List.class.equals(type)) {
                    @SuppressWarnings("unchecked")
                    List<Object> list = (List<Object>) values.get(target);
                    if (list == null) {
                        list = new ArrayList<>();
                        values.put(target, list);
                    }
                    list.add(convert(target, elementType(target.field), value));
                } else if (values.containsKey(target)) {
                    throw new NotPlain();
                } else {
                    values.put(target, convert(target, type, value));
                }
            }
            for (Target target : targets) {
                if (!values.containsKey(target)) {
                    if (target.option.required) {
                        throw new NotPlain();
                    }
                    String fallback = interpolated(target.option.defaultValue);
                    if (fallback != null) {
                        if (List.class.equals(target.field.getType())) {
                            throw new NotPlain();
                        }
                        values.put(target, convert(target, target.field.getType(), fallback));
                    }
                }
            }
            for (Map.Entry<Target, Object> value : values.entrySet()) {
                OptionFields.set(value.getKey().field, value.getKey().holder, value.getValue());
            }
            return true;
        } catch (NotPlain | ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    /** Collects the option fields of {@code holder} and its mixins, refusing anything this class does not handle. */
    private static void collect(Object holder, Map<String, Target> byName, List<Target> targets, int depth)
            throws NotPlain, ReflectiveOperationException {
        if (depth > 3) {
            throw new NotPlain();
        }
        for (Class<?> type = holder.getClass(); type != null && type != Object.class; type = type.getSuperclass()) {
            ClassFileAnnotations file;
            try {
                file = ClassFileAnnotations.of(type);
            } catch (IOException e) {
                throw new NotPlain();
            }
            for (ClassFileAnnotations.Member method : file.methods) {
                if (method.annotations.containsKey(OPTION) || method.annotations.containsKey(PARAMETERS)) {
                    throw new NotPlain();
                }
            }
            for (ClassFileAnnotations.Member member : file.fields) {
                boolean option = member.annotations.containsKey(OPTION);
                boolean mixin = member.annotations.containsKey(MIXIN);
                for (String refused : REFUSED) {
                    if (member.annotations.containsKey(refused)) {
                        throw new NotPlain();
                    }
                }
                if (member.annotations.containsKey(SPEC) && depth == 0) {
                    throw new NotPlain(); // a command that looks at its own spec wants picocli's model
                }
                if (!option && !mixin) {
                    continue;
                }
                if (Modifier.isStatic(member.access) || Modifier.isFinal(member.access)) {
                    throw new NotPlain();
                }
                Field field = type.getDeclaredField(member.name);
                if (mixin) {
                    Object held = OptionFields.get(field, holder);
                    if (held == null) {
                        throw new NotPlain();
                    }
                    collect(held, byName, targets, depth + 1);
                }
                if (!option) {
                    continue;
                }
                Map<String, Object> values = member.annotations.get(OPTION);
                if (isTrue(values.get("usageHelp")) || isTrue(values.get("versionHelp"))) {
                    continue; // help options are never bound: asking for help is picocli's
                }
                OptionSpec spec = new OptionSpec();
                for (Map.Entry<String, Object> element : values.entrySet()) {
                    Object value = element.getValue();
                    switch (element.getKey()) {
                        case "names" -> {
                            for (Object name : asList(value)) {
                                spec.names.add((String) name);
                            }
                        }
                        case "required" -> spec.required = isTrue(value);
                        case "defaultValue" -> spec.defaultValue = (String) value;
                        case "converter" -> {
                            for (Object converter : asList(value)) {
                                spec.converters.add((String) converter);
                            }
                        }
                        case "arity", "split" -> {
                            if (!((String) value).isEmpty()) {
                                throw new NotPlain();
                            }
                        }
                        case "negatable", "interactive" -> {
                            if (isTrue(value)) {
                                throw new NotPlain();
                            }
                        }
                        case "preprocessor", "parameterConsumer" -> throw new NotPlain();
                        default -> {
                            // description, paramLabel, hidden, order...: nothing to bind
                        }
                    }
                }
                if (spec.defaultValue != null && spec.defaultValue.equals("__no_default_value__")) {
                    spec.defaultValue = null;
                }
                Target target = new Target(holder, field, spec);
                targets.add(target);
                for (String name : spec.names) {
                    if (byName.put(name, target) != null) {
                        throw new NotPlain();
                    }
                }
            }
        }
    }

    /**
     * A declared default with picocli's environment lookups resolved as picocli resolves them:
     * {@code ${env:NAME:-fallback}} is the variable when it is set (even empty), else the fallback;
     * {@code ${env:NAME}} alone, unset, means no default (null). Any other lookup or escape is not plain.
     */
    private static String interpolated(String declared) throws NotPlain {
        if (declared == null || !declared.contains("${")) {
            return declared;
        }
        if (declared.contains("$$")) {
            throw new NotPlain(); // an escaped lookup
        }
        StringBuilder result = new StringBuilder();
        int at = 0;
        for (int start = declared.indexOf("${"); start >= 0; start = declared.indexOf("${", at)) {
            int end = declared.indexOf('}', start);
            if (end < 0 || !declared.startsWith("${env:", start)) {
                throw new NotPlain(); // another lookup (sys:, a bundle key...) or no closing brace
            }
            String lookup = declared.substring(start + "${env:".length(), end);
            int separator = lookup.indexOf(":-");
            String name = separator < 0 ? lookup : lookup.substring(0, separator);
            if (name.isEmpty() || lookup.contains("${")) {
                throw new NotPlain();
            }
            String value = System.getenv(name);
            if (value == null && separator >= 0) {
                value = lookup.substring(separator + 2);
            }
            if (value == null) {
                if (start == 0 && end == declared.length() - 1) {
                    return null; // picocli: an unset variable without fallback means no default
                }
                throw new NotPlain();
            }
            result.append(declared, at, start).append(value);
            at = end + 1;
        }
        return result.append(declared, at, declared.length()).toString();
    }

    private static boolean isTrue(Object value) {
        return Boolean.TRUE.equals(value);
    }

    private static List<?> asList(Object value) {
        return value instanceof List<?> list ? list : List.of(value);
    }

    /** A plain decimal number (no sign but a leading minus, no exponent, no hex): what both parsers agree on. */
    private static boolean isNumber(String value, boolean fraction) {
        int start = value.startsWith("-") ? 1 : 0;
        int digits = 0;
        boolean point = false;
        for (int i = start; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c >= '0' && c <= '9') {
                digits++;
            } else if (c == '.' && fraction && !point && digits > 0 && i + 1 < value.length()) {
                point = true;
            } else {
                return false;
            }
        }
        return digits > 0 && digits <= 18;
    }

    private static Class<?> elementType(Field field) throws NotPlain {
        Type generic = field.getGenericType();
        if (generic instanceof ParameterizedType parameterized
                && parameterized.getActualTypeArguments()[0] instanceof Class<?> element) {
            return element;
        }
        throw new NotPlain();
    }

    private static Object convert(Target target, Class<?> type, String value) throws NotPlain, ReflectiveOperationException {
        List<String> converters = target.option.converters;
        if (converters.size() == 1) {
            String descriptor = converters.get(0);
            if (!descriptor.startsWith("L") || !descriptor.endsWith(";")) {
                throw new NotPlain();
            }
            Class<?> converter = Class.forName(descriptor.substring(1, descriptor.length() - 1).replace('/', '.'), false,
                    target.field.getDeclaringClass().getClassLoader());
            var constructor = converter.getDeclaredConstructor();
            constructor.setAccessible(true);
            try {
                // an ITypeConverter: called by reflection so that this class does not load picocli
                var method = converter.getMethod("convert", String.class);
                method.setAccessible(true);
                return method.invoke(constructor.newInstance(), value);
            } catch (Exception e) {
                throw new NotPlain(); // picocli will report it
            }
        }
        if (converters.size() > 1) {
            throw new NotPlain();
        }
        if (type == String.class) {
            return value;
        }
        if ((type == int.class || type == Integer.class) && isNumber(value, false)) {
            return Integer.valueOf(Math.toIntExact(Long.parseLong(value)));
        }
        if ((type == long.class || type == Long.class) && isNumber(value, false)) {
            return Long.valueOf(value);
        }
        if ((type == double.class || type == Double.class) && isNumber(value, true)) {
            return Double.valueOf(value);
        }
        if (type == Path.class && !value.isEmpty()) {
            return Path.of(value);
        }
        if (type.isEnum()) {
            for (Object constant : type.getEnumConstants()) {
                if (((Enum<?>) constant).name().equals(value)) {
                    return constant;
                }
            }
        }
        throw new NotPlain();
    }
}
