"""The original's model for bench/exporters/sleepy.java: a Python process per scrape that waits 1 s on its device."""
import sys
import time

from prometheus_client import CollectorRegistry, Gauge, write_to_textfile

time.sleep(1)
registry = CollectorRegistry()
Gauge("sleepy_up", "1: the device answered.", ["target"], registry=registry).labels(sys.argv[1]).set(1)
write_to_textfile(sys.argv[2], registry)
