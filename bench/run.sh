#!/usr/bin/env bash
# Benchmarks of the run engine, all measured in this one run on this machine: many slow scrapes at once
# against the original's model (a Python process per scrape), noop scrapes right after start and warm,
# cisco against Prometheus's snmp_exporter, an exporter not built yet, memory, and the command line.
# Usage: bench/run.sh [seconds per HTTP load, default 5]. Needs: hyperfine, wrk, python3-prometheus-client,
# prometheus-snmp-exporter, snmpd (Debian packages; bench/setup.sh installs them).
# The load generators (wrk, bench/burst.py) run on the same cores as the server: their CPU is the server's loss.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
seconds=${1:-5}
for tool in hyperfine wrk prometheus-snmp-exporter /usr/sbin/snmpd /usr/bin/python3 curl pstree; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing (bench/setup.sh installs it)" >&2; exit 1; }
done
/usr/bin/python3 -c 'import prometheus_client' 2>/dev/null \
  || { echo "bench: python3-prometheus-client is missing (bench/setup.sh installs it)" >&2; exit 1; }

work=$(mktemp -d /tmp/metrics-bench.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
export METRICS_EXPORTERS="$PWD/bench/exporters"

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
await_http() { # URL: wait until it answers 200
  for _ in $(seq 1 1200); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$1")" = 200 ] && return 0
    sleep 0.1
  done
  echo "bench: $1 never answered 200" >&2; exit 1
}
start_server() { # NAME VAR=VALUE...: starts ./jbang server with these settings; sets port and server_pid
  local name=$1; shift
  port=$(free_port)
  env PORT="$port" HOST=127.0.0.1 CISCO_COMMUNITY=bench "$@" ./jbang server > "$work/$name.log" 2>&1 &
  server_pid=$!
  pids+=("$server_pid")
}
# CPU ticks (user+system) of a process, its live descendants, and the children they reaped, from /proc
cpu_of_tree() {
  local total pid
  total=$(awk '{sub(/.*\) /, ""); print $12 + $13 + $14 + $15}' "/proc/$1/stat")
  for pid in $(pstree -p -T "$1" 2>/dev/null | grep -o '([0-9]*)' | tr -d '()'); do
    if [ "$pid" = "$1" ] || [ ! -r "/proc/$pid/stat" ]; then continue; fi
    total=$((total + $(awk '{sub(/.*\) /, ""); print $12 + $13 + $14 + $15}' "/proc/$pid/stat")))
  done
  echo "$total"
}
rss_mib() { /usr/bin/python3 bench/burst.py rss "$1" | cut -d= -f2; }

results="$work/results.txt"
: > "$results"
row() { printf '%s|%s|%s|%s\n' "$1" "$2" "$3" "$4" >> "$results"; } # name|wall s|CPU s|note
value() { awk -F'|' -v n="$1" -v f="$2" '$1 == n {print $f}' "$results"; }
# wrk's latency ("812.00us", "3.45ms", "1.02s") in seconds
to_seconds() { awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1e6; else if (v ~ /ms$/) n /= 1e3; else if (v ~ /m$/) n *= 60; print n }'; }

echo "== machine"
echo "$(nproc) cores, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
echo "$(uname -sr); $(java -version 2>&1 | head -1); load before: $(cut -d' ' -f1-3 /proc/loadavg)"
# a JVM start takes about 4000 page faults, and a thread start a few dozen: their cost varies between hosts
/usr/bin/python3 -c 'import mmap, time
n = 25600; m = mmap.mmap(-1, n * 4096); t = time.perf_counter()
for i in range(n): m[i * 4096] = 1
print("page faults: %.1f us each" % ((time.perf_counter() - t) / n * 1e6))'

echo "== preparing (builds are not measured)"
./jbang --version >/dev/null
./jbang metrics --exporter noop --no-print
./jbang metrics --exporter sleepy --no-print --sleep-ms=1
./jbang metrics --exporter cisco --help >/dev/null
javac -d "$work" bench/Empty.java

echo "== one process per run (hyperfine: wall median; CPU = user + system, mean)"
hyperfine -N --warmup 3 --runs "${RUNS:-20}" --export-csv "$work/processes.csv" \
  -n "empty JVM" "java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp $work Empty" \
  -n "python prometheus_client noop" "/usr/bin/python3 bench/noop.py x $work/py.prom" \
  -n "./jbang --version" "./jbang --version" \
  -n "./jbang metrics --exporter noop" "./jbang metrics --exporter noop --no-print" \
  -n "./jbang metrics --exporter noop (no launch cache)" "env METRICS_LAUNCH_CACHE=off ./jbang metrics --exporter noop --no-print" >/dev/null
tail -n +2 "$work/processes.csv" | while IFS=, read -r name _ _ median user system _ _; do
  row "$name" "$median" "$(awk -v u="$user" -v s="$system" 'BEGIN {print u + s}')" "per run"
done

echo "== snmpd and snmp_exporter on loopback"
snmp_port=$(free_port)
mkdir -p "$work/snmpd"
printf 'rocommunity bench 127.0.0.1\nrocommunity6 bench ::1\n' > "$work/snmpd/snmpd.conf"
SNMP_PERSISTENT_DIR="$work/snmpd" /usr/sbin/snmpd -f -Lf "$work/snmpd/log" -C -c "$work/snmpd/snmpd.conf" \
  -p "$work/snmpd/pid" "udp:127.0.0.1:$snmp_port" &
pids+=($!)
exporter_port=$(free_port)
prometheus-snmp-exporter --config.file=bench/snmp.yml --web.listen-address="127.0.0.1:$exporter_port" \
  --log.level=warn > "$work/snmp_exporter.log" 2>&1 &
snmp_exporter_pid=$!
pids+=("$snmp_exporter_pid")
snmp_url="http://127.0.0.1:$exporter_port/snmp?module=if_mib_bench&target=127.0.0.1:$snmp_port"
await_http "$snmp_url"

# wrk NAME URL CONNECTIONS PID [WARMUP]: median latency, requests/s and CPU per request of PID's process tree
http_load() {
  local name=$1 url=$2 connections=$3 pid=$4 warmup=${5:-${WARMUP:-5}} before after out requests non2xx median rate cpu
  if [ "$warmup" -gt 0 ]; then wrk -t"$connections" -c"$connections" -d"${warmup}s" "$url" > /dev/null; fi
  before=$(cpu_of_tree "$pid")
  out=$(wrk -t"$connections" -c"$connections" -d"${seconds}s" --latency "$url")
  after=$(cpu_of_tree "$pid")
  requests=$(awk '/requests in/ {print $1}' <<< "$out")
  non2xx=$(awk '/Non-2xx/ {print $NF}' <<< "$out")
  [ -z "$non2xx" ] || { echo "bench: $name: $non2xx answers were not 2xx" >&2; exit 1; }
  median=$(to_seconds "$(awk '$1 == "50%" {print $2}' <<< "$out")")
  rate=$(awk '/Requests\/sec/ {printf "%.0f/s", $2}' <<< "$out")
  cpu=$(awk -v t=$((after - before)) -v n="$requests" -v hz="$(getconf CLK_TCK)" 'BEGIN {print t / hz / n}')
  row "$name" "$median" "$cpu" "$rate with $connections connection(s), $requests requests"
}

echo "== the server, default settings: right after start, then warm (wrk, ${seconds}s each)"
start_server default
await_http "http://127.0.0.1:$port/-/ready"
default_port=$port default_pid=$server_pid
idle_server=$(rss_mib "$default_pid")
noop_url="http://127.0.0.1:$default_port/metrics/noop?target=x"
http_load "server noop, 4 connections, right after start" "$noop_url" 4 "$default_pid" 0
idle_with_noop=$(rss_mib "$default_pid")
http_load "server noop, 1 connection" "$noop_url" 1 "$default_pid"
http_load "server noop, 4 connections" "$noop_url" 4 "$default_pid"
http_load "snmp_exporter IF-MIB (in-process Go)" "$snmp_url" 1 "$snmp_exporter_pid"
http_load "server cisco, same agent" "http://127.0.0.1:$default_port/metrics/cisco?target=127.0.0.1:$snmp_port" 1 "$default_pid"

echo "== 64 scrapes at once of an exporter that waits 1 s (bench/exporters/sleepy.java), a server of its own, default settings"
start_server burst
await_http "http://127.0.0.1:$port/-/ready"
burst_port=$port burst_pid=$server_pid
sleepy_url="http://127.0.0.1:$burst_port/metrics/sleepy?sleep-ms=1000"
read -r cold_wall cold_statuses cold_peak <<< "$(/usr/bin/python3 bench/burst.py http "$sleepy_url" 64 "$burst_pid" | tr ' ' '\n' | cut -d= -f2 | paste -sd' ')"
sleep 2
warm_idle=$(rss_mib "$burst_pid")
read -r warm_wall warm_statuses warm_peak <<< "$(/usr/bin/python3 bench/burst.py http "$sleepy_url" 64 "$burst_pid" | tr ' ' '\n' | cut -d= -f2 | paste -sd' ')"
row "64 x sleepy 1 s, first burst (its worker JVMs start)" "$cold_wall" "-" "statuses $cold_statuses; server and workers peak ${cold_peak} MiB"
row "64 x sleepy 1 s, next burst" "$warm_wall" "-" "statuses $warm_statuses; server and workers peak ${warm_peak} MiB"
read -r py_wall py_failed py_peak <<< "$(/usr/bin/python3 bench/burst.py procs 64 /usr/bin/python3 bench/sleepy.py 't{}' "$work/py{}.prom" | tr ' ' '\n' | cut -d= -f2 | paste -sd' ')"
row "64 x python sleepy.py processes at once" "$py_wall" "-" "$py_failed failed; peak of their sum ${py_peak} MiB"
kill "$burst_pid"; wait "$burst_pid" 2>/dev/null || true

echo "== fresh mode: a JVM per scrape"
start_server fresh EXPORTER_MODES=noop=fresh
await_http "http://127.0.0.1:$port/-/ready"
http_load "server noop, fresh JVM per scrape, back to back" "http://127.0.0.1:$port/metrics/noop?target=x" 1 "$server_pid" 2
# as Prometheus scrapes: a while apart, so the JVM the server starts ahead is ready (wall: curl's, median)
for _ in $(seq 1 9); do sleep 1; curl -s -o /dev/null -w '%{time_total}\n' "http://127.0.0.1:$port/metrics/noop?target=x"; done \
  | sort -n | sed -n 5p > "$work/fresh-spaced"
row "server noop, fresh JVM per scrape, 1 s apart" "$(cat "$work/fresh-spaced")" "-" "the JVM started ahead serves it"

echo "== an exporter not built yet, scraped with a 3 s timeout, three servers with an empty build cache"
for i in 1 2 3; do
  start_server "unbuilt-$i" METRICS_CACHE_DIR="$work/cache-$i"
  await_http "http://127.0.0.1:$port/-/healthy"
  out=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' -H 'X-Prometheus-Scrape-Timeout-Seconds: 3' \
    "http://127.0.0.1:$port/metrics/noop?target=x")
  row "unbuilt noop, 3 s scrape timeout, server $i" "${out#* }" "-" "status ${out% *}"
  kill "$server_pid"; wait "$server_pid" 2>/dev/null || true
done

echo
echo "== results ($(nproc) cores; load after: $(cut -d' ' -f1-3 /proc/loadavg))"
printf '%-56s %12s %14s  %s\n' "what" "wall/median" "CPU/run" "note"
while IFS='|' read -r name wall cpu note; do
  printf '%-56s %9.1f ms %11s  %s\n' "$name" "$(awk -v w="$wall" 'BEGIN {print w * 1000}')" \
    "$(awk -v c="$cpu" 'BEGIN {if (c == "-") print "-"; else printf "%.2f ms", c * 1000}')" "$note"
done < "$results"

ratio() { awk -v a="$(value "$1" "$3")" -v b="$(value "$2" "$3")" 'BEGIN {if (b > 0) printf "%.3g", a / b; else print "n/a"}'; }
rate() { awk -F'|' -v n="$1" '$1 == n {split($4, a, "/"); print a[1]}' "$results"; }
echo
echo "== against the goals (same run)"
echo "64 x 1 s at once, next burst: wall $(value "64 x sleepy 1 s, next burst" 2) s (goal <= 1.5), statuses $warm_statuses, peak ${warm_peak} MiB (goal <= 300)"
echo "  first burst, worker JVMs starting: wall $cold_wall s, statuses $cold_statuses, peak ${cold_peak} MiB"
echo "  64 python processes: wall $py_wall s, peak ${py_peak} MiB; ours / python: wall $(ratio "64 x sleepy 1 s, next burst" "64 x python sleepy.py processes at once" 2), memory $(awk -v a="$warm_peak" -v b="$py_peak" 'BEGIN {printf "%.3g", a / b}')"
echo "noop, 4 connections, warm: p50 $(awk -v w="$(value "server noop, 4 connections" 2)" 'BEGIN {printf "%.2f ms", w * 1000}') (goal <= 1), $(rate "server noop, 4 connections")/s (goal >= 1500; 1 connection: $(rate "server noop, 1 connection")/s; right after start: $(rate "server noop, 4 connections, right after start")/s)"
echo "cisco via the server / snmp_exporter (latency): $(ratio "server cisco, same agent" "snmp_exporter IF-MIB (in-process Go)" 2) (goal <= 0.8, as before)"
echo "unbuilt noop, 3 s scrape timeout: answered after $(for i in 1 2 3; do printf '%s s (%s) ' "$(value "unbuilt noop, 3 s scrape timeout, server $i" 2)" "$(value "unbuilt noop, 3 s scrape timeout, server $i" 4)"; done)(goal <= 3)"
echo "memory: the server idle ${idle_server} MiB; with its noop workers ${idle_with_noop} MiB; the burst's server with its idle sleepy workers ${warm_idle} MiB"
echo "  growth per concurrent run: $(awk -v p="$warm_peak" -v i="$warm_idle" 'BEGIN {printf "%.2f MiB", (p - i) / 64}') ((peak of the next burst - idle) / 64)"
echo "warm noop scrape CPU / python process CPU: $(ratio "server noop, 1 connection" "python prometheus_client noop" 3)"
echo "./jbang metrics --exporter noop: $(awk -v w="$(value "./jbang metrics --exporter noop" 2)" 'BEGIN {printf "%.0f ms", w * 1000}'); without the launch cache $(awk -v w="$(value "./jbang metrics --exporter noop (no launch cache)" 2)" 'BEGIN {printf "%.0f ms", w * 1000}'); ./jbang --version $(awk -v w="$(value "./jbang --version" 2)" 'BEGIN {printf "%.0f ms", w * 1000}')"
