import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The runtime-visible annotations of a class's fields and methods, read from its class file (JVMS 4.7.16).
 * Reflection would do it too, but makes a {@code java.lang.reflect.Proxy} class per annotation type and loads
 * the annotation classes: about 15 ms of a fresh JVM for picocli's, whose Java 5 bytecode no class-data
 * archive holds. Each annotation is its type descriptor ({@code Lpicocli/CommandLine$Option;}) and the
 * elements the source declared: a String, Boolean, Integer, Long..., a class descriptor for a class,
 * {@code "Ltype;.NAME"} for an enum constant, a List for an array, a Map for a nested annotation. Elements
 * left at their default are absent.
 */
final class ClassFileAnnotations {
    /** A field or method: its access flags, name, and annotations by type descriptor. */
    static final class Member {
        final int access;
        final String name;
        final Map<String, Map<String, Object>> annotations;

        Member(int access, String name, Map<String, Map<String, Object>> annotations) {
            this.access = access;
            this.name = name;
            this.annotations = annotations;
        }
    }

    final List<Member> fields = new ArrayList<>();
    final List<Member> methods = new ArrayList<>();

    /** Parsed once per class: a warm worker binds the same classes run after run. */
    private static final ClassValue<Object> PARSED = new ClassValue<>() {
        @Override
        protected Object computeValue(Class<?> type) {
            try {
                return parse(type);
            } catch (IOException e) {
                return e;
            }
        }
    };
    /** Jars stay open once read: a command's classes usually come from one jar, read three times in a row. */
    private static final Map<File, ZipFile> JARS = new HashMap<>();

    private final byte[] bytes;
    private int position;
    /** Where each constant starts (for UTF8 entries: their length), decoded only when asked for. */
    private int[] constants;
    private byte[] tags;

    private ClassFileAnnotations(byte[] bytes) {
        this.bytes = bytes;
    }

    /** The annotations of {@code type}'s own fields and methods; an IOException if its class file cannot be read. */
    static ClassFileAnnotations of(Class<?> type) throws IOException {
        Object parsed = PARSED.get(type);
        if (parsed instanceof IOException e) {
            throw new IOException(e.getMessage(), e);
        }
        return (ClassFileAnnotations) parsed;
    }

    private static ClassFileAnnotations parse(Class<?> type) throws IOException {
        byte[] bytes;
        try {
            bytes = read(type, type.getName().replace('.', '/') + ".class");
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
        if (bytes == null) {
            throw new IOException("no class file for " + type.getName());
        }
        ClassFileAnnotations file = new ClassFileAnnotations(bytes);
        try {
            file.parse();
        } catch (RuntimeException e) { // a truncated or odd file: an index out of range, a wrong pool entry
            throw new IOException("cannot parse the class file of " + type.getName(), e);
        }
        return file;
    }

    /** The class file, straight from the jar or directory it was loaded from: ClassLoader.getResourceAsStream
     * would look in the JDK's modules first and go through a jar: URL connection (milliseconds of classes). */
    private static byte[] read(Class<?> type, String entry) throws IOException, URISyntaxException {
        CodeSource source = type.getProtectionDomain().getCodeSource();
        URL location = source == null ? null : source.getLocation();
        if (location != null && location.getProtocol().equals("file")) {
            File file = new File(location.toURI());
            // a class path directory's URL ends with '/' (no stat: a fresh JVM's first costs 0.7 ms)
            if (location.getPath().endsWith("/")) {
                File classFile = new File(file, entry);
                if (classFile.isFile()) {
                    try (InputStream in = new FileInputStream(classFile)) {
                        return in.readAllBytes();
                    }
                }
            } else {
                synchronized (JARS) {
                    ZipFile zip = JARS.get(file);
                    if (zip == null) {
                        zip = new ZipFile(file);
                        JARS.put(file, zip);
                    }
                    ZipEntry found = zip.getEntry(entry);
                    if (found != null) {
                        try (InputStream in = zip.getInputStream(found)) {
                            return in.readAllBytes();
                        }
                    }
                }
            }
        }
        ClassLoader loader = type.getClassLoader();
        if (loader == null) {
            return null;
        }
        try (InputStream in = loader.getResourceAsStream(entry)) {
            return in == null ? null : in.readAllBytes();
        }
    }

    private int u1() {
        return bytes[position++] & 0xFF;
    }

    private int u2() {
        return (u1() << 8) | u1();
    }

    private int u4() {
        return (u2() << 16) | u2();
    }

    private void parse() throws IOException {
        if (u4() != 0xCAFEBABE) {
            throw new IOException("not a class file");
        }
        position += 4; // minor and major version
        int count = u2();
        constants = new int[count];
        tags = new byte[count];
        for (int i = 1; i < count; i++) {
            int tag = u1();
            tags[i] = (byte) tag;
            constants[i] = position;
            switch (tag) {
                case 1 -> position += 2 + ((bytes[position] & 0xFF) << 8 | (bytes[position + 1] & 0xFF));
                case 3, 4, 9, 10, 11, 12, 17, 18 -> position += 4;
                case 5, 6 -> {
                    position += 8;
                    i++; // 8-byte constants take two slots
                }
                case 7, 8, 16, 19, 20 -> position += 2;
                case 15 -> position += 3;
                default -> throw new IOException("unknown constant pool tag " + tag);
            }
        }
        position += 6; // access, this class, super class
        int interfaces = u2(); // (not "position += 2 * u2()": that would add to the position before the read)
        position += 2 * interfaces;
        for (int fieldCount = u2(), i = 0; i < fieldCount; i++) {
            fields.add(member());
        }
        for (int methodCount = u2(), i = 0; i < methodCount; i++) {
            methods.add(member());
        }
    }

    private Member member() throws IOException {
        int access = u2();
        String name = utf(u2());
        position += 2; // descriptor
        Map<String, Map<String, Object>> annotations = Map.of();
        for (int count = u2(), i = 0; i < count; i++) {
            String attribute = utf(u2());
            int length = u4();
            int end = position + length;
            if (attribute.equals("RuntimeVisibleAnnotations")) {
                annotations = new HashMap<>();
                for (int annotationCount = u2(), j = 0; j < annotationCount; j++) {
                    String type = utf(u2());
                    annotations.put(type, elements());
                }
            }
            position = end;
        }
        return new Member(access, name, annotations);
    }

    private Map<String, Object> elements() throws IOException {
        Map<String, Object> elements = new HashMap<>();
        for (int count = u2(), i = 0; i < count; i++) {
            String name = utf(u2());
            elements.put(name, value());
        }
        return elements;
    }

    private Object value() throws IOException {
        int tag = u1();
        switch (tag) {
            case 'B', 'C', 'I', 'S' -> {
                return constant(u2(), 3);
            }
            case 'Z' -> {
                return ((Integer) constant(u2(), 3)) != 0;
            }
            case 'F' -> {
                return constant(u2(), 4);
            }
            case 'J' -> {
                return constant(u2(), 5);
            }
            case 'D' -> {
                return constant(u2(), 6);
            }
            case 's', 'c' -> {
                return utf(u2());
            }
            case 'e' -> {
                String type = utf(u2());
                return type + "." + utf(u2());
            }
            case '@' -> {
                position += 2; // the nested annotation's type
                return elements();
            }
            case '[' -> {
                int count = u2();
                List<Object> values = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    values.add(value());
                }
                return values;
            }
            default -> throw new IOException("unknown element value tag " + (char) tag);
        }
    }

    /** A numeric constant: an Integer, Float, Long or Double by its tag. */
    private Object constant(int index, int tag) throws IOException {
        if (tags[index] != tag) {
            throw new IOException("constant " + index + " is not of tag " + tag);
        }
        int at = constants[index];
        int high = (bytes[at] & 0xFF) << 24 | (bytes[at + 1] & 0xFF) << 16 | (bytes[at + 2] & 0xFF) << 8 | (bytes[at + 3] & 0xFF);
        return switch (tag) {
            case 3 -> high;
            case 4 -> Float.intBitsToFloat(high);
            default -> {
                int low = (bytes[at + 4] & 0xFF) << 24 | (bytes[at + 5] & 0xFF) << 16 | (bytes[at + 6] & 0xFF) << 8 | (bytes[at + 7] & 0xFF);
                long bits = (long) high << 32 | (low & 0xFFFFFFFFL);
                yield tag == 5 ? (Object) bits : (Object) Double.longBitsToDouble(bits);
            }
        };
    }

    /** A UTF8 constant, decoded now: plain ASCII directly, anything else as modified UTF-8 (JVMS 4.4.7). */
    private String utf(int index) throws IOException {
        if (tags[index] != 1) {
            throw new IOException("constant " + index + " is not a string");
        }
        int at = constants[index];
        int length = (bytes[at] & 0xFF) << 8 | (bytes[at + 1] & 0xFF);
        for (int i = at + 2; i < at + 2 + length; i++) {
            if (bytes[i] < 0 || bytes[i] == 0) {
                return new DataInputStream(new ByteArrayInputStream(bytes, at, length + 2)).readUTF();
            }
        }
        return new String(bytes, at + 2, length, StandardCharsets.ISO_8859_1);
    }
}
