/** How a request for an exporter run ended: server/http/Answers.java turns each into HTTP, in one place. */
sealed interface RunResult {
    /** No exporter of that name. */
    record NotFound(String exporter) implements RunResult {
    }

    /** Refused at once: as many runs as MAX_CONCURRENT_RUNS are in flight. */
    record Overloaded(int limit) implements RunResult {
    }

    /** Refused at once: the server is shutting down. */
    record Stopping() implements RunResult {
    }

    /** The deadline came while JBang was still building the exporter (the build goes on). */
    record StillBuilding(double seconds) implements RunResult {
    }

    /** The exporter could not be built (a compile error, a dependency that cannot be resolved). */
    record BuildFailed(String message) implements RunResult {
    }

    /** The deadline came before a worker was free or ready. */
    record NoWorker(String why) implements RunResult {
    }

    /** The worker could not start, or ended during the run (System.exit, a crash, a kill). */
    record WorkerFailed(String why) implements RunResult {
    }

    /** The run was still going at its deadline; its threads were interrupted. */
    record TimedOut(double seconds) implements RunResult {
    }

    /** The run ended: its exit code, its metrics (null unless it gathered them), its stdout and stderr. */
    record Finished(int exitCode, String metrics, String stdout, String stderr) implements RunResult {
    }
}
