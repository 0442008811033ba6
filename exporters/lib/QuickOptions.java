import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * Binds a command's {@code @Option} fields straight from its arguments, for the plain cases, without
 * building picocli's model: that model costs a short-lived JVM about 0.1 s of CPU, more than the rest of
 * a simple exporter's run. Whenever anything is not plain (help, an unknown or repeated option, a value
 * that looks like an option, an option kind or type not handled here, a missing required option, a
 * grouping key to check), it changes nothing and returns false, and picocli parses as usual: every error
 * message still comes from picocli. QuickOptionsTest checks that both bind the same values.
 */
final class QuickOptions {
    private static final String NO_DEFAULT = "__no_default_value__";
    /** Options whose values picocli checks beyond their type (see RunOptions.validate): always picocli's. */
    private static final String PICOCLI_ONLY = "--grouping-key";

    private QuickOptions() {
    }

    /** A field to set, on the object that holds it: the command or one of its mixins (a plain class: a record's
     * equals would be bootstrapped through method handles, which costs a short JVM milliseconds). */
    private static final class Target {
        private final Object holder;
        private final Field field;
        private final Option option;

        Target(Object holder, Field field, Option option) {
            this.holder = holder;
            this.field = field;
            this.option = option;
        }

        Object holder() {
            return holder;
        }

        Field field() {
            return field;
        }

        Option option() {
            return option;
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
                Class<?> type = target.field().getType();
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
                    List<Object> list = (List<Object>) values.computeIfAbsent(target, any -> new ArrayList<>());
                    list.add(convert(target, elementType(target.field()), value));
                } else if (values.containsKey(target)) {
                    throw new NotPlain();
                } else {
                    values.put(target, convert(target, type, value));
                }
            }
            for (Target target : targets) {
                if (!values.containsKey(target)) {
                    if (target.option().required()) {
                        throw new NotPlain();
                    }
                    String fallback = target.option().defaultValue();
                    if (!fallback.equals(NO_DEFAULT)) {
                        if (fallback.contains("${") || List.class.equals(target.field().getType())) {
                            throw new NotPlain();
                        }
                        values.put(target, convert(target, target.field().getType(), fallback));
                    }
                }
            }
            for (Map.Entry<Target, Object> value : values.entrySet()) {
                value.getKey().field().set(value.getKey().holder(), value.getValue());
            }
            return true;
        } catch (NotPlain | ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    /** Collects the option fields of {@code holder} and its mixins, refusing anything this class does not handle. */
    private static void collect(Object holder, Map<String, Target> byName, List<Target> targets, int depth)
            throws NotPlain, IllegalAccessException {
        if (depth > 3) {
            throw new NotPlain();
        }
        for (Class<?> type = holder.getClass(); type != null && type != Object.class; type = type.getSuperclass()) {
            for (Method method : type.getDeclaredMethods()) {
                if (method.isAnnotationPresent(Option.class) || method.isAnnotationPresent(Parameters.class)) {
                    throw new NotPlain();
                }
            }
            for (Field field : type.getDeclaredFields()) {
                if (field.isAnnotationPresent(Parameters.class) || field.isAnnotationPresent(Unmatched.class)
                        || field.isAnnotationPresent(ArgGroup.class) || field.isAnnotationPresent(CommandLine.ParentCommand.class)) {
                    throw new NotPlain();
                }
                if (field.isAnnotationPresent(Spec.class) && depth == 0) {
                    throw new NotPlain(); // a command that looks at its own spec wants picocli's model
                }
                if (Modifier.isStatic(field.getModifiers()) || Modifier.isFinal(field.getModifiers())) {
                    if (field.isAnnotationPresent(Option.class) || field.isAnnotationPresent(Mixin.class)) {
                        throw new NotPlain();
                    }
                    continue;
                }
                if (field.isAnnotationPresent(Mixin.class)) {
                    field.setAccessible(true);
                    Object mixin = field.get(holder);
                    if (mixin == null) {
                        throw new NotPlain();
                    }
                    collect(mixin, byName, targets, depth + 1);
                }
                Option option = field.getAnnotation(Option.class);
                if (option == null) {
                    continue;
                }
                if (option.usageHelp() || option.versionHelp() || !option.arity().isEmpty() || !option.split().isEmpty()
                        || option.negatable() || option.interactive()
                        || !option.preprocessor().getName().equals("picocli.CommandLine$NoOpParameterPreprocessor")
                        || !option.parameterConsumer().getName().equals("picocli.CommandLine$NullParameterConsumer")) {
                    if (!(option.usageHelp() || option.versionHelp())) {
                        throw new NotPlain();
                    }
                    continue; // help options are never bound: asking for help is picocli's
                }
                field.setAccessible(true);
                Target target = new Target(holder, field, option);
                targets.add(target);
                for (String name : option.names()) {
                    if (byName.put(name, target) != null) {
                        throw new NotPlain();
                    }
                }
            }
        }
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
        Class<? extends CommandLine.ITypeConverter<?>>[] converters = target.option().converter();
        if (converters.length == 1) {
            var constructor = converters[0].getDeclaredConstructor();
            constructor.setAccessible(true);
            try {
                return constructor.newInstance().convert(value);
            } catch (Exception e) {
                throw new NotPlain(); // picocli will report it
            }
        }
        if (converters.length > 1) {
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
