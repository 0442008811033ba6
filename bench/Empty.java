/** The floor: a JVM that starts and exits. */
public class Empty {
    public static void main(String[] args) {
    }
}
