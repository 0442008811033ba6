///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//SOURCES Exporter.java
//DESCRIPTION The original's example exporter: a gauge, a counter and the timing helpers (takes about 2.1 s).

import io.prometheus.client.Counter;
import io.prometheus.client.Gauge;

/** The example from the original project, with the same metrics and the same sleeps. */
public class dummy extends Exporter {

    public static void main(String[] args) {
        Exporter.runAndExit(new dummy(), args);
    }

    @Override
    public void gatherMetrics() throws Exception {
        Gauge gauge = Gauge.build().name("dummy_gauge").help("A dummy metric, means nothing.").register(metrics);
        Counter counter = Counter.build().name("dummy_counter").help("A dummy metric, means nothing.")
                .labelNames("dummy_label").register(metrics);
        Counter genericTimer = Counter.build().name("generic_timer_seconds").help("Value of generic timer")
                .register(metrics);

        observed("observed_function", () -> Thread.sleep(1000));
        Thread.sleep(300); // untimed work: it shows up in no metric
        try (Observation ignored = observe("my_custom_task")) {
            Thread.sleep(550);
        }
        Timer timer = timer();
        Thread.sleep(250);
        genericTimer.inc(timer.seconds());

        gauge.set(0);
        counter.labels("dummy_label_value").inc();
        if (debug) {
            System.err.println("dummy: debug mode is on");
        }
    }
}
