///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//SOURCES ../../exporters/Exporter.java
//DESCRIPTION Benchmark exporter: waits on its "device" (a sleep), as I/O-bound exporters do, then reports one gauge.

import io.prometheus.client.Gauge;
import picocli.CommandLine.Option;

/** What a real exporter mostly does: wait for a device to answer. */
public class sleepy extends Exporter {
    @Option(names = "--target", description = "Echoed as the label 'target'.")
    String target = "x";

    @Option(names = "--sleep-ms", description = "How long the device takes to answer (default 1000).")
    long sleepMillis = 1000;

    public static void main(String[] args) {
        Exporter.runAndExit(new sleepy(), args);
    }

    @Override
    public void gatherMetrics() throws Exception {
        Thread.sleep(sleepMillis);
        Gauge.build().name("sleepy_up").help("1: the device answered.").labelNames("target").register(metrics)
                .labels(target).set(1);
    }
}
