/** The HTTP answer to an exporter run: 200 with its metrics, or the status and message that explain why not. */
record Response(int status, String contentType, String body) {
    private static final String TEXT = "text/plain; charset=utf-8";
    /** The exporter's usage-error code: the query asked for an option it does not have. */
    private static final int EXPORTER_USAGE_ERROR = 2;

    static Response of(String name, ExporterRunner.Outcome outcome) {
        if (outcome instanceof ExporterRunner.Outcome.NotFound) {
            return new Response(404, TEXT, "no exporter named '" + name + "'\n");
        }
        if (outcome instanceof ExporterRunner.Outcome.BuildFailed failed) {
            return new Response(500, TEXT, "exporter '" + name + "' could not be built:\n" + failed.message() + "\n");
        }
        if (outcome instanceof ExporterRunner.Outcome.NoWorker) {
            return new Response(504, TEXT, "exporter '" + name + "' did not get a worker before its deadline\n");
        }
        ExporterProcess.Result result = ((ExporterRunner.Outcome.Ran) outcome).result();
        if (result.timedOut()) {
            return new Response(504, TEXT, "exporter '" + name + "' did not finish before its deadline and was killed\n");
        }
        if (result.exitCode() == 0) {
            return new Response(200, ServerApp.TEXT_004, result.metrics());
        }
        int status = result.exitCode() == EXPORTER_USAGE_ERROR ? 400 : 500;
        return new Response(status, TEXT, "exporter '" + name + "' failed (exit " + result.exitCode() + "):\n"
                + result.stderr());
    }
}
