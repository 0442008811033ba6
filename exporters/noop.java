///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//SOURCES Exporter.java
//DESCRIPTION Does nothing, at once: one gauge, with the --target echoed as a label (for benchmarks and tests).

import io.prometheus.client.Gauge;
import picocli.CommandLine.Option;

/** The cheapest possible exporter: what a scrape costs when the exporter itself costs nothing. */
public class noop extends Exporter {

    @Option(names = "--target", description = "Echoed as the label 'target'.")
    String target;

    public static void main(String[] args) {
        Exporter.runAndExit(new noop(), args);
    }

    @Override
    public void gatherMetrics() {
        Gauge.Builder up = Gauge.build().name("noop_up").help("Always 1: the noop exporter ran.");
        if (target == null) {
            up.register(metrics).set(1);
        } else {
            up.labelNames("target").register(metrics).labels(target).set(1);
        }
    }
}
