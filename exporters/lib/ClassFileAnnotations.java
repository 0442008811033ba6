import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
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

    private final DataInputStream in;
    private Object[] pool;

    private ClassFileAnnotations(byte[] bytes) {
        in = new DataInputStream(new ByteArrayInputStream(bytes));
    }

    /** The annotations of {@code type}'s own fields and methods; an IOException if its class file cannot be read. */
    static ClassFileAnnotations of(Class<?> type) throws IOException {
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
            if (file.isDirectory()) {
                File classFile = new File(file, entry);
                if (classFile.isFile()) {
                    try (InputStream in = new FileInputStream(classFile)) {
                        return in.readAllBytes();
                    }
                }
            } else if (file.isFile()) {
                try (ZipFile zip = new ZipFile(file)) {
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

    private void parse() throws IOException {
        if (in.readInt() != 0xCAFEBABE) {
            throw new IOException("not a class file");
        }
        in.readUnsignedShort(); // minor version
        in.readUnsignedShort(); // major version
        pool = new Object[in.readUnsignedShort()];
        for (int i = 1; i < pool.length; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> pool[i] = in.readUTF();
                case 3 -> pool[i] = in.readInt();
                case 4 -> pool[i] = in.readFloat();
                case 5 -> pool[i++] = in.readLong(); // 8-byte constants take two slots
                case 6 -> pool[i++] = in.readDouble();
                case 7, 8, 16, 19, 20 -> in.readUnsignedShort();
                case 9, 10, 11, 12, 17, 18 -> in.readInt();
                case 15 -> {
                    in.readUnsignedByte();
                    in.readUnsignedShort();
                }
                default -> throw new IOException("unknown constant pool tag " + tag);
            }
        }
        in.readUnsignedShort(); // access
        in.readUnsignedShort(); // this class
        in.readUnsignedShort(); // super class
        in.skipBytes(2 * in.readUnsignedShort()); // interfaces
        for (int count = in.readUnsignedShort(), i = 0; i < count; i++) {
            fields.add(member());
        }
        for (int count = in.readUnsignedShort(), i = 0; i < count; i++) {
            methods.add(member());
        }
    }

    private Member member() throws IOException {
        int access = in.readUnsignedShort();
        String name = utf(in.readUnsignedShort());
        in.readUnsignedShort(); // descriptor
        Map<String, Map<String, Object>> annotations = Map.of();
        for (int count = in.readUnsignedShort(), i = 0; i < count; i++) {
            String attribute = utf(in.readUnsignedShort());
            int length = in.readInt();
            if (attribute.equals("RuntimeVisibleAnnotations")) {
                annotations = new HashMap<>();
                for (int annotationCount = in.readUnsignedShort(), j = 0; j < annotationCount; j++) {
                    String type = utf(in.readUnsignedShort());
                    annotations.put(type, elements());
                }
            } else {
                in.skipBytes(length);
            }
        }
        return new Member(access, name, annotations);
    }

    private Map<String, Object> elements() throws IOException {
        Map<String, Object> elements = new HashMap<>();
        for (int count = in.readUnsignedShort(), i = 0; i < count; i++) {
            String name = utf(in.readUnsignedShort());
            elements.put(name, value());
        }
        return elements;
    }

    private Object value() throws IOException {
        int tag = in.readUnsignedByte();
        switch (tag) {
            case 'B', 'C', 'D', 'F', 'I', 'J', 'S' -> {
                return pool[in.readUnsignedShort()];
            }
            case 'Z' -> {
                return !Integer.valueOf(0).equals(pool[in.readUnsignedShort()]);
            }
            case 's', 'c' -> {
                return utf(in.readUnsignedShort());
            }
            case 'e' -> {
                String type = utf(in.readUnsignedShort());
                return type + "." + utf(in.readUnsignedShort());
            }
            case '@' -> {
                in.readUnsignedShort(); // the nested annotation's type
                return elements();
            }
            case '[' -> {
                int count = in.readUnsignedShort();
                List<Object> values = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    values.add(value());
                }
                return values;
            }
            default -> throw new IOException("unknown element value tag " + (char) tag);
        }
    }

    private String utf(int index) throws IOException {
        if (pool[index] instanceof String text) {
            return text;
        }
        throw new IOException("constant " + index + " is not a string");
    }
}
