/** The exit codes of a run, as the README documents them: the dispatcher, the harness and the server read them here. */
final class ExitCodes {
    /** The metrics were gathered, and printed, written and pushed as asked. */
    static final int OK = 0;
    /** The exporter failed (its error is on stderr), or it does not compile. */
    static final int EXPORTER_FAILED = 1;
    /** Bad arguments: unknown option, bad value, invalid exporter name. */
    static final int USAGE = 2;
    /** The metrics could not be written to --output-filename. */
    static final int OUTPUT_FAILED = 3;
    /** The push to the Pushgateway failed. */
    static final int PUSH_FAILED = 4;
    /** No exporter of that name. */
    static final int NOT_FOUND = 255;

    private ExitCodes() {
    }
}
