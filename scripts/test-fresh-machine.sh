#!/usr/bin/env bash
# The README's two commands on a fresh machine: a buildah container from the debian:bookworm-slim base image
# that scripts/test-image.sh makes, with only openjdk-17-jdk-headless and maven installed, this checkout's
# committed files (git archive HEAD) in /src and the real devices' recordings beside it (/shared/fixtures).
# Runs `./jbang metrics --exporter dummy`, then `./jbang test` with the given arguments (default: the whole
# suite; e.g. `scripts/test-fresh-machine.sh PushTest ExporterHarnessTest`). The container sets no LANG, like
# cron: what the tools print must survive the POSIX locale.
# Needs root, buildah, and the network to Debian's mirror and Maven Central (as a new machine would).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export BUILDAH_ISOLATION=chroot
base=docker.io/library/debian:bookworm-slim
say() { echo "test-fresh-machine: $*"; }
die() { echo "test-fresh-machine: FAILED: $*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "run it as root (buildah needs it)"
command -v buildah > /dev/null || die "buildah is missing: apt-get install buildah"
scripts/test-image.sh --base-only

work=$(mktemp -d /tmp/metrics-fresh-machine.XXXXXX)
container=""
cleanup() {
  [ -z "$container" ] || buildah rm "$container" > /dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
git archive --format=tar -o "$work/src.tar" HEAD
container=$(buildah from --pull=false "$base")
in_container() { buildah run --network=host "$container" -- "$@"; }

say "installing openjdk-17-jdk-headless and maven, as a new user would"
in_container bash -c 'mkdir -p /usr/share/man/man1 && apt-get update -qq \
  && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends openjdk-17-jdk-headless maven \
     > /dev/null'
buildah add --quiet "$container" "$work/src.tar" /src > /dev/null
# the real devices' recordings live beside the clone, as on a developer's machine and in CI
recordings=../shared/fixtures/real-devices
[ -d "$recordings" ] || die "no $recordings beside this checkout: the Cisco tests read the real devices' recordings there"
buildah add --quiet "$container" "$recordings" /shared/fixtures/real-devices > /dev/null

say "./jbang metrics --exporter dummy (the first run installs JBang and builds)"
start=$(date +%s)
in_container bash -c 'cd /src && ./jbang metrics --exporter dummy' > "$work/dummy.out" 2> "$work/dummy.err" \
  || { cat "$work/dummy.err" >&2; die "./jbang metrics --exporter dummy failed"; }
grep -q '^dummy_gauge 0.0$' "$work/dummy.out" || { cat "$work/dummy.out" >&2; die "no dummy_gauge in the output"; }
say "printed the dummy metrics after $(( $(date +%s) - start )) s; what the first run said on stderr:"
sed 's/^/  /' "$work/dummy.err"

say "./jbang test $* (the test setup installs what the tests need)"
in_container bash -c 'cd /src && ./jbang test "$@"' bash "$@" | tee "$work/test.out"
tail -n 1 "$work/test.out" | grep -q ' 0 failed' || die "the test suite failed in the fresh container"
