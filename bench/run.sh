#!/usr/bin/env bash
# Benchmarks: this project (warm workers, fresh JVMs, the command line) against a Python process with
# prometheus_client and against Prometheus's snmp_exporter, all measured in this one run on this machine.
# Usage: bench/run.sh [seconds per HTTP load, default 5]. Needs: hyperfine, wrk, python3-prometheus-client,
# prometheus-snmp-exporter, snmpd (Debian packages; bench/setup.sh installs them).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
seconds=${1:-5}
for tool in hyperfine wrk prometheus-snmp-exporter /usr/sbin/snmpd /usr/bin/python3 /usr/bin/time curl; do
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

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
await_http() { # URL: wait until it answers 200
  for _ in $(seq 1 600); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$1")" = 200 ] && return 0
    sleep 0.1
  done
  echo "bench: $1 never answered" >&2; exit 1
}
# CPU ticks (user+system) of a process, its live descendants, and the children it has reaped (a
# fresh exporter JVM is gone by the time we look: it is in its parent's cutime/cstime), from /proc
cpu_of_tree() {
  local total pid
  total=$(awk '{sub(/.*\) /, ""); print $14 + $15}' "/proc/$1/stat")
  for pid in $(pstree -p -T "$1" 2>/dev/null | grep -o '([0-9]*)' | tr -d '()'); do
    [ -r "/proc/$pid/stat" ] || continue
    total=$((total + $(awk '{sub(/.*\) /, ""); print $12 + $13}' "/proc/$pid/stat")))
  done
  echo "$total"
}
peak_kib() { awk '/VmHWM/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }

results="$work/results.txt"
: > "$results"
row() { printf '%s|%s|%s|%s\n' "$1" "$2" "$3" "$4" >> "$results"; } # name|wall s|CPU s|note
# wrk's latency ("812.00us", "3.45ms", "1.02s") in seconds
to_seconds() { awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1e6; else if (v ~ /ms$/) n /= 1e3; else if (v ~ /m$/) n *= 60; print n }'; }

echo "== machine"
echo "$(nproc) cores, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
echo "$(uname -sr); $(java -version 2>&1 | head -1); load before: $(cut -d' ' -f1-3 /proc/loadavg)"
# a JVM start takes about 4000 page faults: their cost differs between hosts more than anything of ours
/usr/bin/python3 -c 'import mmap, time
n = 25600; m = mmap.mmap(-1, n * 4096); t = time.perf_counter()
for i in range(n): m[i * 4096] = 1
print("page faults: %.1f us each (a JVM start takes about 4000)" % ((time.perf_counter() - t) / n * 1e6))'

echo "== preparing (builds are not measured)"
./jbang --version >/dev/null
./jbang metrics --exporter noop --no-print >/dev/null
./jbang metrics --exporter cisco --help >/dev/null
noop_cmd=$(grep -l "^source [0-9a-f]* $PWD/exporters/noop.java$" "${METRICS_CACHE_DIR:-$HOME/.cache/metrics}"/commands/*.cmd | head -1)
java_bin=$(sed -n 's/^java //p' "$noop_cmd")
classpath=$(sed -n 's/^classpath //p' "$noop_cmd")
javac -d "$work" bench/Empty.java
fresh_options="-XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -XX:+UseG1GC -XX:-UsePerfData -Xshare:auto"
noop_args="noop --target=x --no-print --output-filename=$work/j.prom"
# static_archive JAVA NAME: the class-data archive of a fresh noop JVM, made as dispatch/ClassDataArchive.java
# makes it (a training run lists the classes it loads, then java -Xshare:dump archives them), in $work/NAME.jsa
static_archive() {
  # shellcheck disable=SC2086
  "$1" $fresh_options -XX:DumpLoadedClassList="$work/$2.classlist" -cp "$classpath" $noop_args
  "$1" -XX:+UseG1GC -Xshare:dump -XX:SharedClassListFile="$work/$2.classlist" -XX:SharedArchiveFile="$work/$2.jsa" \
    -cp "$classpath" > "$work/$2.log" 2>&1 || { cat "$work/$2.log" >&2; exit 1; }
}
static_archive "$java_bin" noop
# the previous way, for comparison: Serial GC and a dynamic archive dumped at the end of a run
old_options="-XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -XX:+UseSerialGC -XX:-UsePerfData -Xshare:auto"
# shellcheck disable=SC2086
"$java_bin" $old_options -XX:ArchiveClassesAtExit="$work/noop-dynamic.jsa" -Xlog:cds*=off -cp "$classpath" $noop_args
jbang_lib="${METRICS_JBANG_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/metrics/jbang-0.132.1}/lib/*"
dispatcher=$(JBANG_RUNTIME_SHELL=bash java -cp "$jbang_lib" dev.jbang.Main metrics --exporter noop --no-print || true)

echo "== one process per run (hyperfine: wall median; CPU = user + system, mean)"
hyperfine -N --warmup 3 --runs "${RUNS:-20}" --export-csv "$work/processes.csv" \
  -n "empty JVM" "$java_bin $fresh_options -cp $work Empty" \
  -n "python prometheus_client noop" "/usr/bin/python3 bench/noop.py x $work/py.prom" \
  -n "fresh JVM noop (JDK 17)" "$java_bin $fresh_options -cp $classpath $noop_args" \
  -n "fresh JVM noop (JDK 17 + CDS archive)" "$java_bin $fresh_options -XX:SharedArchiveFile=$work/noop.jsa -Xlog:cds*=off -cp $classpath $noop_args" \
  -n "  before: Serial GC + dynamic CDS archive" "$java_bin $old_options -XX:SharedArchiveFile=$work/noop-dynamic.jsa -Xlog:cds*=off -cp $classpath $noop_args" \
  -n "./jbang --version" "./jbang --version" \
  -n "./jbang metrics --exporter noop" "./jbang metrics --exporter noop --no-print" \
  -n "./jbang metrics --exporter noop (no launch cache)" "env METRICS_LAUNCH_CACHE=off ./jbang metrics --exporter noop --no-print" \
  -n "  of which JBang resolving 'metrics'" "bash -c 'java -cp \"$jbang_lib\" dev.jbang.Main metrics --exporter noop >/dev/null || [ \$? = 255 ]'" \
  -n "  of which the dispatcher JVM (noop in it)" "bash -c 'eval \"exec $dispatcher\"'" >/dev/null
process_rows() { # hyperfine's CSV: median wall, mean user + system
  tail -n +2 "$1" | while IFS=, read -r name _ _ median user system _ _; do
    row "$name" "$median" "$(awk -v u="$user" -v s="$system" 'BEGIN {print u + s}')" "per run"
  done
}
process_rows "$work/processes.csv"
jdk25=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
if [ -x "$jdk25" ]; then
  aot_options=${fresh_options% -Xshare:auto} # the AOT cache options exclude any -Xshare
  # shellcheck disable=SC2086
  "$jdk25" $aot_options -XX:AOTCacheOutput="$work/noop.aot" -cp "$classpath" $noop_args >/dev/null 2>&1
  static_archive "$jdk25" noop25
  hyperfine -N --warmup 3 --runs "${RUNS:-20}" --export-csv "$work/aot.csv" \
    -n "empty JVM (JDK 25)" "$jdk25 $fresh_options -cp $work Empty" \
    -n "fresh JVM noop (JDK 25)" "$jdk25 $fresh_options -cp $classpath $noop_args" \
    -n "fresh JVM noop (JDK 25 + CDS archive)" "$jdk25 $fresh_options -XX:SharedArchiveFile=$work/noop25.jsa -Xlog:cds*=off -cp $classpath $noop_args" \
    -n "fresh JVM noop (JDK 25 AOT cache)" "$jdk25 $aot_options -XX:AOTCache=$work/noop.aot -Xlog:aot*=off -Xlog:cds*=off -cp $classpath $noop_args" >/dev/null
  process_rows "$work/aot.csv"
fi

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
pids+=($!)
snmp_url="http://127.0.0.1:$exporter_port/snmp?module=if_mib_bench&target=127.0.0.1:$snmp_port"
await_http "$snmp_url"

server_port=$(free_port)
PORT=$server_port HOST=127.0.0.1 WORKERS=2 CISCO_COMMUNITY=bench ./jbang server > "$work/server.log" 2>&1 &
server_pid=$!
pids+=("$server_pid")
await_http "http://127.0.0.1:$server_port/metrics"
fresh_port=$(free_port)
PORT=$fresh_port HOST=127.0.0.1 WORKERS=2 EXPORTER_MODES=noop=fresh ./jbang server > "$work/server-fresh.log" 2>&1 &
fresh_pid=$!
pids+=("$fresh_pid")
await_http "http://127.0.0.1:$fresh_port/metrics"
disk_port=$(free_port)
PORT=$disk_port HOST=127.0.0.1 WORKERS=2 TMPDIR=/tmp ./jbang server > "$work/server-disk.log" 2>&1 &
disk_pid=$!
pids+=("$disk_pid")
await_http "http://127.0.0.1:$disk_port/metrics"

# wrk LOAD_NAME URL CONNECTIONS PID: median latency, requests/s and CPU per request of PID's process tree
http_load() {
  local name=$1 url=$2 connections=$3 pid=$4 before after out requests
  for _ in 1 2 3 4 5 6 7 8 9 10; do curl -s -o /dev/null "$url"; done # a worker per exporter is up
  wrk -t"$connections" -c"$connections" -d"${WARMUP:-5}s" "$url" > /dev/null # the JIT compiles the hot paths
  before=$(cpu_of_tree "$pid")
  out=$(wrk -t"$connections" -c"$connections" -d"${seconds}s" --latency "$url")
  after=$(cpu_of_tree "$pid")
  requests=$(awk '/requests in/ {print $1}' <<< "$out")
  local non2xx
  non2xx=$(awk '/Non-2xx/ {print $NF}' <<< "$out")
  [ -z "$non2xx" ] || { echo "bench: $name: $non2xx answers were not 2xx" >&2; exit 1; }
  local median rate cpu
  median=$(to_seconds "$(awk '$1 == "50%" {print $2}' <<< "$out")")
  rate=$(awk '/Requests\/sec/ {printf "%.0f/s", $2}' <<< "$out")
  if [ "$pid" = "-" ]; then cpu="-"; else
    cpu=$(awk -v t=$((after - before)) -v n="$requests" -v hz="$(getconf CLK_TCK)" 'BEGIN {print t / hz / n}')
  fi
  row "$name" "$median" "$cpu" "$rate with $connections connection(s), $requests requests"
}

echo "== HTTP load (wrk, ${seconds}s each; latency is the median)"
http_load "server noop, warm worker" "http://127.0.0.1:$server_port/metrics/noop?target=x" 1 "$server_pid"
http_load "server noop, warm worker, 4 connections" "http://127.0.0.1:$server_port/metrics/noop?target=x" 4 "$server_pid"
http_load "server noop, warm worker, run files in /tmp" "http://127.0.0.1:$disk_port/metrics/noop?target=x" 1 "$disk_pid"
http_load "server noop, fresh JVM per scrape" "http://127.0.0.1:$fresh_port/metrics/noop?target=x" 1 "$fresh_pid"
http_load "snmp_exporter IF-MIB (in-process)" "$snmp_url" 1 "${pids[1]}"
http_load "server cisco, warm worker, same agent" "http://127.0.0.1:$server_port/metrics/cisco?target=127.0.0.1:$snmp_port" 1 "$server_pid"

server_peak=$(peak_kib "$server_pid")
worker_peaks=$(for pid in $(pgrep -P "$server_pid" -f ExporterWorker || true) $(pgrep -f "ExporterWorker" || true); do
  printf '%s=%s ' "$(tr '\0' ' ' < "/proc/$pid/cmdline" | awk '{print $NF}')" "$(peak_kib "$pid")"; done | tr ' ' '\n' | sort -u | tr '\n' ' ')

echo
echo "== results ($(nproc) cores; load after: $(cut -d' ' -f1-3 /proc/loadavg))"
printf '%-52s %12s %14s  %s\n' "what" "wall/median" "CPU/run" "note"
while IFS='|' read -r name wall cpu note; do
  printf '%-52s %9.1f ms %11s  %s\n' "$name" "$(awk -v w="$wall" 'BEGIN {print w * 1000}')" \
    "$(awk -v c="$cpu" 'BEGIN {if (c == "-") print "-"; else printf "%.2f ms", c * 1000}')" "$note"
done < "$results"

value() { awk -F'|' -v n="$1" -v f="$2" '$1 == n {print $f}' "$results"; }
ratio() { awk -v a="$(value "$1" "$3")" -v b="$(value "$2" "$3")" 'BEGIN {if (b > 0) printf "%.3g", a / b; else print "n/a"}'; }
echo
echo "== ratios (same run)"
echo "warm noop scrape latency / python process wall:        $(ratio "server noop, warm worker" "python prometheus_client noop" 2)"
echo "warm noop scrape CPU / python process CPU:              $(ratio "server noop, warm worker" "python prometheus_client noop" 3)"
echo "warm noop scrape, run files in /dev/shm / in /tmp:    $(ratio "server noop, warm worker" "server noop, warm worker, run files in /tmp" 2)"
echo "fresh noop scrape latency / python process wall:        $(ratio "server noop, fresh JVM per scrape" "python prometheus_client noop" 2)"
echo "fresh noop scrape CPU / python process CPU:              $(ratio "server noop, fresh JVM per scrape" "python prometheus_client noop" 3)"
echo "fresh noop JVM with CDS archive / empty JVM (wall):    $(ratio "fresh JVM noop (JDK 17 + CDS archive)" "empty JVM" 2)"
echo "fresh noop JVM with CDS archive, wall (goal 40 ms):     $(awk -v w="$(value "fresh JVM noop (JDK 17 + CDS archive)" 2)" 'BEGIN {printf "%.1f ms", w * 1000}')"
echo "cisco via server latency / snmp_exporter latency:       $(ratio "server cisco, warm worker, same agent" "snmp_exporter IF-MIB (in-process)" 2)"
difference() { awk -v a="$(value "$1" 2)" -v b="$(value "$2" 2)" 'BEGIN {printf "%+.3f s", a - b}'; }
echo "./jbang metrics noop - ./jbang --version (wall):        $(difference "./jbang metrics --exporter noop" "./jbang --version")"
echo "  the same without the launch cache:                    $(difference "./jbang metrics --exporter noop (no launch cache)" "./jbang --version")"
echo "warm noop scrapes per second with 4 connections:        $(awk -F'|' '$1 == "server noop, warm worker, 4 connections" {split($4, a, "/"); print a[1]}' "$results")"
# shellcheck disable=SC2086
fresh_peak=$(/usr/bin/time -f %M "$java_bin" $fresh_options -XX:SharedArchiveFile="$work/noop.jsa" -Xlog:cds*=off -cp "$classpath" $noop_args 2>&1 >/dev/null | tail -1)
echo "peak memory: server $((server_peak / 1024)) MiB; workers (KiB): $worker_peaks; a fresh noop JVM $((fresh_peak / 1024)) MiB"
