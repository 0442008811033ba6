#!/usr/bin/env bash
# End-to-end check of the Dockerfile with buildah, no Docker engine and no registry needed:
#   1. the base image the Dockerfile's FROM names is made from Debian's packages (debootstrap
#      --variant=minbase bookworm, slimmed like Debian's -slim images) and tagged under that name,
#      unless it is there already;
#   2. `buildah bud --pull=false --build-arg EXPORTERS=dummy,cisco`; a build with an unknown name must fail;
#   3. the container's entrypoint runs in a network namespace of its own that has only a loopback
#      interface: nothing outside can be resolved or reached, as if the image ran with no network;
#      snmpsimd serves the recorded switch tests/fixtures/cisco/*.snmprec there on 127.0.0.1;
#   4. /metrics, /metrics/dummy and /metrics/cisco must answer 200 with their metrics, /metrics/noop
#      (left out of the image) 404, the HEALTHCHECK command must pass, SIGTERM must stop the server;
#   5. prints the image size (at most 200 MB, else it fails) and the time from start to first scrape.
# Needs root and the Debian packages buildah, debootstrap, snmpsim, curl and iproute2 (.ci/run installs them).
# With --base-only it makes the base image (step 1) and stops.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

export BUILDAH_ISOLATION=chroot
base=docker.io/library/debian:bookworm-slim
image=localhost/metrics-image-test:latest
exporters=dummy,cisco
left_out=noop
port=8080
snmp_port=1161
max_size_mb=200
start_goal_ms=3000

say() { echo "test-image: $*"; }
die() { echo "test-image: FAILED: $*" >&2; exit 1; }

for tool in buildah:buildah debootstrap:debootstrap snmpsimd:snmpsim curl:curl ip:iproute2; do
  command -v "${tool%%:*}" > /dev/null 2>&1 || die "${tool%%:*} is missing: apt-get install ${tool#*:}"
done
[ "$(id -u)" -eq 0 ] || die "run it as root (buildah, debootstrap and ip netns need it)"
grep -q "^FROM $(basename "$base" | sed 's/\./\\./g')" Dockerfile \
  || die "the Dockerfile's FROM is not ${base#docker.io/library/}: update base= in $0"
ls tests/fixtures/cisco/*.snmprec > /dev/null 2>&1 || die "no tests/fixtures/cisco/*.snmprec to serve"

work=$(mktemp -d /tmp/metrics-test-image.XXXXXX)
netns="metrics-test-image-$$"
container="" server_pid="" snmp_pid=""
# Every process this script starts runs in its network namespace: `ip netns pids` finds them all,
# the container's too (buildah run's own children and whatever they leave behind).
netns_pids() { ip netns pids "$netns" 2> /dev/null || true; }
stop_netns_processes() {
  local pids
  mapfile -t pids < <(netns_pids)
  [ "${#pids[@]}" -gt 0 ] || return 0
  kill -TERM "${pids[@]}" 2> /dev/null || true
  for _ in $(seq 50); do
    mapfile -t pids < <(netns_pids)
    [ "${#pids[@]}" -gt 0 ] || return 0
    sleep 0.1
  done
  kill -KILL "${pids[@]}" 2> /dev/null || true
  sleep 0.5
}
cleanup() {
  set +e
  stop_netns_processes
  [ -z "$server_pid" ] || wait "$server_pid" 2> /dev/null
  [ -z "$snmp_pid" ] || wait "$snmp_pid" 2> /dev/null
  [ -z "$container" ] || buildah rm "$container" > /dev/null
  ip netns del "$netns" 2> /dev/null
  rm -rf "$work"
}
trap cleanup EXIT
in_netns() { ip netns exec "$netns" "$@"; }
millis() { echo $(( $(date +%s%N) / 1000000 )); }

# ---- 1. the base image -------------------------------------------------------------------------

make_base_image() {
  local rootfs="$work/rootfs" ctr
  say "making $base with debootstrap (once; later runs reuse it)"
  debootstrap --variant=minbase bookworm "$rootfs" "${DEBIAN_MIRROR:-http://deb.debian.org/debian}" \
    > "$work/debootstrap.log" 2>&1 || { tail -20 "$work/debootstrap.log" >&2; die "debootstrap failed"; }
  # slim, as Debian's -slim images: no documentation, manuals or translations, now or from later installs
  cat > "$rootfs/etc/dpkg/dpkg.cfg.d/slim" <<'CFG'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
CFG
  find "$rootfs/usr/share/doc" -mindepth 1 ! -name copyright ! -type d -delete
  find "$rootfs/usr/share/doc" -mindepth 1 -type d -empty -delete
  rm -rf "$rootfs"/usr/share/{man,groff,info,lintian,linda}/*
  find "$rootfs/usr/share/locale" -mindepth 1 -maxdepth 1 ! -name locale.alias -exec rm -rf {} +
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/cache/apt/archives/*.deb \
    "$rootfs"/var/log/*.log "$rootfs"/var/log/apt/* "$rootfs/etc/apt/sources.list"
  cat > "$rootfs/etc/apt/sources.list.d/debian.sources" <<'SOURCES'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
  # The stand-in trusts what this machine trusts: where HTTPS goes through a TLS-inspecting proxy,
  # its CA is in /usr/local/share/ca-certificates, as in a company's own base image.
  if compgen -G '/usr/local/share/ca-certificates/*.crt' > /dev/null; then
    mkdir -p "$rootfs/usr/local/share/ca-certificates"
    cp /usr/local/share/ca-certificates/*.crt "$rootfs/usr/local/share/ca-certificates/"
  fi
  tar --numeric-owner -C "$rootfs" -cf "$work/rootfs.tar" .
  rm -rf "$rootfs"
  ctr=$(buildah from scratch)
  buildah add --quiet "$ctr" "$work/rootfs.tar" / > /dev/null
  buildah config --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin --cmd bash "$ctr"
  buildah commit --quiet --rm "$ctr" "$base" > /dev/null
  rm -f "$work/rootfs.tar"
}

if buildah inspect --type image "$base" > /dev/null 2>&1; then
  say "reusing the base image $base"
else
  make_base_image
fi
if [ "${1:-}" = --base-only ]; then # scripts/test-fresh-machine.sh starts from it
  exit 0
fi

# ---- 2. the builds -----------------------------------------------------------------------------

say "buildah bud --build-arg EXPORTERS=$exporters (the first build downloads a JDK and the dependencies)"
build_start=$(millis)
if ! buildah bud --pull=false --layers --force-rm --format docker --build-arg "EXPORTERS=$exporters" -t "$image" . \
    > "$work/build.log" 2>&1; then
  tail -40 "$work/build.log" >&2
  die "the image did not build"
fi
say "built in $(( ($(millis) - build_start) / 1000 )) s"

say "a build with EXPORTERS=dummy,nosuch must fail and name the unknown exporter"
if buildah bud --pull=false --layers --force-rm --format docker --build-arg EXPORTERS=dummy,nosuch \
    -t localhost/metrics-image-test:unknown . > "$work/unknown.log" 2>&1; then
  buildah rmi localhost/metrics-image-test:unknown > /dev/null 2>&1 || true
  die "the build with an unknown exporter succeeded"
fi
grep -q "unknown exporter 'nosuch'" "$work/unknown.log" \
  || { tail -20 "$work/unknown.log" >&2; die "the failed build does not name the unknown exporter"; }
grep -q "EXPORTERS='dummy,nosuch'" "$work/unknown.log" || die "the failed build does not show EXPORTERS"

# buildah shows the uncompressed size of the layers, as `docker images` does, in decimal units
size=$(buildah images --format '{{.Size}}' "$image" | head -n 1)
size_mb=$(echo "$size" | awk '{ f = ($2 == "GB") ? 1000 : ($2 == "kB") ? 0.001 : ($2 == "MB") ? 1 : -1; print (f < 0 ? -1 : $1 * f) }')
awk -v mb="$size_mb" 'BEGIN { exit !(mb > 0) }' || die "cannot read the image size from '$size'"

config() { buildah inspect --type image --format "$1" "$image"; }
[ "$(config '{{.OCIv1.Config.User}}')" = metrics ] || die "the image does not run as user metrics"
# shellcheck disable=SC2016 # a Go template, not a shell expression
config '{{range $port, $_ := .OCIv1.Config.ExposedPorts}}{{$port}} {{end}}' | grep -q "^$port/tcp" \
  || die "the image does not EXPOSE $port"
healthcheck=$(config '{{if .Docker.Config.Healthcheck}}{{range .Docker.Config.Healthcheck.Test}}{{.}} {{end}}{{end}}')
[ -n "$healthcheck" ] || die "the image has no HEALTHCHECK"
mapfile -t entrypoint < <(config '{{range .OCIv1.Config.Entrypoint}}{{println .}}{{end}}')
if [ "${#entrypoint[@]}" -eq 0 ] || [ "${entrypoint[0]}" != /usr/bin/tini ]; then
  die "the entrypoint is not exec form with tini first: ${entrypoint[*]}"
fi

# ---- 3. a network namespace with only loopback: the container and the simulated switch ---------

ip netns add "$netns"
in_netns ip link set lo up
mkdir -p "$work/snmp/data" "$work/snmp/cache"
cp tests/fixtures/cisco/*.snmprec "$work/snmp/data/"
fixtures=(tests/fixtures/cisco/*.snmprec)
community=$(basename "${fixtures[0]}" .snmprec)
# snmpsimd drops root for nobody, who reads the data and writes the cache
chmod -R a+rX "$work"
chmod 1777 "$work/snmp/cache"
in_netns snmpsimd --data-dir="$work/snmp/data" --cache-dir="$work/snmp/cache" --logging-method=stderr \
  --agent-udpv4-endpoint="127.0.0.1:$snmp_port" --process-user=nobody --process-group=nogroup \
  > "$work/snmpsimd.log" 2>&1 &
snmp_pid=$!
deadline=$(( $(millis) + 30000 ))
until in_netns ss -Hulpn "sport = :$snmp_port" | grep -q snmpsimd; do
  if ! kill -0 "$snmp_pid" 2> /dev/null || [ "$(millis)" -gt "$deadline" ]; then
    cat "$work/snmpsimd.log" >&2
    die "snmpsimd did not listen on 127.0.0.1:$snmp_port"
  fi
  sleep 0.1
done
say "snmpsimd serves ${fixtures[*]} on 127.0.0.1:$snmp_port, community $community"

container=$(buildah from --pull=false "$image")
run() { in_netns buildah run --network=host "$container" -- "$@"; }
[ "$(run id -u)" != 0 ] || die "the container runs as root"
if run getent hosts repo.maven.apache.org > /dev/null 2>&1; then
  die "the container can resolve names outside: the test would not show that it serves offline"
fi
say "the container (uid $(run id -u)) resolves nothing outside and has only loopback"
if run sh -c 'command -v javac || command -v mvn || command -v jbang' > /dev/null 2>&1; then
  die "the runtime image carries build tools (javac, mvn or jbang)"
fi

say "starting the server: ${entrypoint[*]}"
start=$(millis)
# With chroot isolation there is no PID namespace, so tini is not PID 1: as a subreaper it still
# reaps what an exporter leaves behind, as it does as PID 1 under Docker.
in_netns buildah run --network=host --env TINI_SUBREAPER=1 "$container" -- "${entrypoint[@]}" \
  > "$work/server.log" 2>&1 &
server_pid=$!
first_scrape=""
while [ -z "$first_scrape" ]; do
  if in_netns curl -fsS -o "$work/server-metrics.txt" "http://127.0.0.1:$port/metrics" 2> /dev/null; then
    first_scrape=$(( $(millis) - start ))
  elif ! kill -0 "$server_pid" 2> /dev/null; then
    cat "$work/server.log" >&2
    die "the server exited"
  elif [ $(( $(millis) - start )) -gt 60000 ]; then
    cat "$work/server.log" >&2
    die "no answer on /metrics within 60 s"
  else
    sleep 0.05
  fi
done
say "first scrape of /metrics $first_scrape ms after start"

# ---- 4. the scrapes ----------------------------------------------------------------------------

# scrape PATH STATUS PATTERN: the answer must have STATUS and a line matching PATTERN
scrape() {
  local path=$1 want=$2 pattern=$3 status
  status=$(in_netns curl -sS -o "$work/answer.txt" -w '%{http_code}' --max-time 60 "http://127.0.0.1:$port$path")
  if [ "$status" != "$want" ] || ! grep -Eq "$pattern" "$work/answer.txt"; then
    echo "--- $path answered $status:" >&2
    head -40 "$work/answer.txt" >&2
    echo "--- server log:" >&2
    tail -40 "$work/server.log" >&2
    echo "--- snmpsimd log:" >&2
    tail -20 "$work/snmpsimd.log" >&2
    die "GET $path: expected $want and a line matching $pattern"
  fi
  say "GET $path: $status, $(grep -c -v '^#' "$work/answer.txt") sample line(s)"
}
scrape /metrics 200 '^server_'
scrape /metrics/dummy 200 '^dummy_gauge 0\.0$'
scrape "/metrics/cisco?target=127.0.0.1:$snmp_port&community=$community" 200 '^cisco_up\{.*\} 1\.0$'
scrape "/metrics/$left_out" 404 .
run /usr/local/bin/metrics-healthcheck || die "the HEALTHCHECK command failed"
say "HEALTHCHECK command passed"

say "SIGTERM to the container's PID 1 (tini)"
tini_pid=""
for pid in $(netns_pids); do
  if tr '\0' ' ' < "/proc/$pid/cmdline" 2> /dev/null | grep -q '^/usr/bin/tini '; then tini_pid=$pid; fi
done
[ -n "$tini_pid" ] || die "cannot find the container's tini process"
kill -TERM "$tini_pid"
deadline=$(( $(millis) + 20000 ))
while kill -0 "$server_pid" 2> /dev/null && [ "$(millis)" -lt "$deadline" ]; do sleep 0.1; done
kill -0 "$server_pid" 2> /dev/null && die "the server did not stop within 20 s of SIGTERM"
status=0
wait "$server_pid" || status=$?
server_pid=""
grep -q 'server: stopped' "$work/server.log" || { cat "$work/server.log" >&2; die "no graceful stop in the log"; }
say "the server stopped gracefully; the end of its output:"
grep -E '^server: ' "$work/server.log" | tail -n 4 | sed 's/^/    /'
if [ "$status" -ne 0 ] && grep -q '^panic: ' "$work/server.log"; then
  # seen with buildah 1.28 and chroot isolation: it panics after the container's process has ended
  say "(buildah run itself exited $status: it panicked after the container ended)"
fi
sleep 0.5
for pid in $(netns_pids); do
  cmdline=$(tr '\0' ' ' < "/proc/$pid/cmdline" 2> /dev/null || true)
  case "$cmdline" in
    ""|*snmpsimd*) ;;
    *) die "left running after the server stopped: $pid $cmdline" ;;
  esac
done

# ---- 5. the figures ----------------------------------------------------------------------------

echo
echo "image:                   $image (EXPORTERS=$exporters)"
echo "image size:              $size_mb MB (goal: at most $max_size_mb MB; the base image: $(buildah images --format '{{.Size}}' "$base" | head -n 1))"
echo "start to first scrape:   $first_scrape ms (goal: at most $start_goal_ms ms)"
awk -v mb="$size_mb" -v max="$max_size_mb" 'BEGIN { exit !(mb <= max) }' \
  || die "the image is $size_mb MB, over $max_size_mb MB"
if [ "$first_scrape" -gt "$start_goal_ms" ]; then
  echo "test-image: note: the first scrape took longer than the goal (a busy machine?)"
fi
say "passed"
