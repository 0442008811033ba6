"""The Python baseline: what the noop exporter does, with prometheus_client, in one process."""
import sys

from prometheus_client import CollectorRegistry, Gauge, write_to_textfile

registry = CollectorRegistry()
Gauge("noop_up", "Always 1: the noop exporter ran.", ["target"], registry=registry).labels(sys.argv[1]).set(1)
write_to_textfile(sys.argv[2], registry)
