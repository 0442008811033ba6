import static org.junit.jupiter.api.Assertions.fail;

/** Reading samples out of exposition text; a series that is not there fails the test (never a silent 0). */
final class Samples {
    private Samples() {
    }

    /** The value of {@code series} (name and labels as written, e.g. {@code up{job="x"}}). */
    static double value(String exposition, String series) {
        return exposition.lines().filter(l -> l.startsWith(series + " ")).findFirst()
                .map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .orElseGet(() -> fail("no series " + series + " in:\n" + exposition));
    }

    /** Whether {@code series} is there at all. */
    static boolean has(String exposition, String series) {
        return exposition.lines().anyMatch(l -> l.startsWith(series + " "));
    }
}
