import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Field;

/**
 * Reads and writes the fields QuickOptions binds. Up to JDK 17, through core reflection, which uses Unsafe
 * there. From JDK 18 on, core reflection goes through method handles (JEP 416) and adapts their types for
 * each new field type, generating classes a fresh JVM pays milliseconds for; a VarHandle called with the
 * field's primitive type, or with Object for a reference, does not: a fresh noop run on JDK 25 took 13 to
 * 18 ms less (with our CDS archive, with the JDK's AOT cache), and the same on JDK 17.
 */
final class OptionFields {
    static final boolean VAR_HANDLES = Runtime.version().feature() >= 18;

    private OptionFields() {
    }

    static Object get(Field field, Object holder) throws ReflectiveOperationException {
        return get(field, holder, VAR_HANDLES);
    }

    static void set(Field field, Object holder, Object value) throws ReflectiveOperationException {
        set(field, holder, value, VAR_HANDLES);
    }

    /** {@code varHandles} chooses the way, so that tests take both on any JDK. */
    static Object get(Field field, Object holder, boolean varHandles) throws ReflectiveOperationException {
        if (varHandles && !field.getType().isPrimitive()) {
            return handle(field).get(holder); // QuickOptions reads only mixins, which are objects
        }
        field.setAccessible(true);
        return field.get(holder);
    }

    static void set(Field field, Object holder, Object value, boolean varHandles) throws ReflectiveOperationException {
        Class<?> type = field.getType();
        if (varHandles) {
            // a call site per field type, each always called with the same types
            if (!type.isPrimitive()) {
                handle(field).set(holder, value);
                return;
            } else if (type == boolean.class) {
                handle(field).set(holder, (boolean) (Boolean) value);
                return;
            } else if (type == int.class) {
                handle(field).set(holder, (int) (Integer) value);
                return;
            } else if (type == long.class) {
                handle(field).set(holder, (long) (Long) value);
                return;
            } else if (type == double.class) {
                handle(field).set(holder, (double) (Double) value);
                return;
            }
            // byte, char, short, float: QuickOptions binds none of these; reflection will do
        }
        field.setAccessible(true);
        field.set(holder, value);
    }

    private static VarHandle handle(Field field) throws ReflectiveOperationException {
        Class<?> owner = field.getDeclaringClass();
        return MethodHandles.privateLookupIn(owner, MethodHandles.lookup())
                .findVarHandle(owner, field.getName(), field.getType());
    }
}
