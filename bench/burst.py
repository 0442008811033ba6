"""Bursts for bench/run.sh: N requests (or N processes) at once; wall time, outcomes and peak memory.

  burst.py http URL N PID [HEADER=VALUE]  N concurrent GETs; peak RSS of PID and its descendants meanwhile
  burst.py procs N COMMAND...              N processes at once ({} in COMMAND becomes the process's number)
  burst.py rss PID                         RSS of PID and its descendants now, in KiB
Prints one line: key=value pairs.
"""
import http.client
import os
import subprocess
import sys
import threading
import time
import urllib.parse


def descendants(pid):
    """PID and every process below it (each thread of a process lists the children it started)."""
    found = [pid]
    for each in found:
        try:
            tasks = os.listdir(f"/proc/{each}/task")
        except OSError:
            continue
        for task in tasks:
            try:
                with open(f"/proc/{each}/task/{task}/children") as f:
                    found.extend(int(child) for child in f.read().split())
            except OSError:
                pass
    return found


def rss_kib(pids):
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        except OSError:
            pass
    return total


class Sampler(threading.Thread):
    def __init__(self, pids_of):
        super().__init__(daemon=True)
        self.pids_of, self.peak, self.running = pids_of, 0, True

    def run(self):
        while self.running:
            self.peak = max(self.peak, rss_kib(self.pids_of()))
            time.sleep(0.02)


def http_burst(url, n, pid, headers):
    parsed = urllib.parse.urlsplit(url)
    statuses, lock = {}, threading.Lock()
    start_gate = threading.Barrier(n + 1)

    def one(i):
        connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=120)
        start_gate.wait()
        connection.request("GET", f"{parsed.path}?{parsed.query}&target=t{i}", headers=headers)
        status = connection.getresponse().status
        with lock:
            statuses[status] = statuses.get(status, 0) + 1

    sampler = Sampler(lambda: descendants(pid))
    sampler.start()
    threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    start_gate.wait()
    start = time.perf_counter()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - start
    sampler.running = False
    sampler.join()
    print(f"wall={wall:.3f} statuses={','.join(f'{k}:{v}' for k, v in sorted(statuses.items()))} peak_mib={sampler.peak / 1024:.0f}")


def process_burst(n, command):
    start = time.perf_counter()
    processes = [subprocess.Popen([part.replace("{}", str(i)) for part in command]) for i in range(n)]
    sampler = Sampler(lambda: [p.pid for p in processes if p.poll() is None])
    sampler.start()
    codes = [p.wait() for p in processes]
    wall = time.perf_counter() - start
    sampler.running = False
    sampler.join()
    print(f"wall={wall:.3f} failed={sum(1 for c in codes if c != 0)} peak_mib={sampler.peak / 1024:.0f}")


if __name__ == "__main__":
    if sys.argv[1] == "http":
        extra = dict(h.split("=", 1) for h in sys.argv[5:])
        http_burst(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), extra)
    elif sys.argv[1] == "procs":
        process_burst(int(sys.argv[2]), sys.argv[3:])
    else:
        print(f"rss_mib={rss_kib(descendants(int(sys.argv[2]))) / 1024:.0f}")
