#!/usr/bin/env bash
# What the test suite needs besides Java and Maven, installed when missing: `./jbang test` runs this first;
# .ci/run runs it with --ci, for what CI needs besides (the image tests, shellcheck).
# Each tool is checked by its command; missing ones are installed with apt-get (Debian, Ubuntu), as root or
# through sudo, saying what and why. Where that cannot be done, it says what to install and exits 1.
set -euo pipefail

# package: the commands the tests run from it, and why
needs=(
  "prometheus:promtool prometheus|a real Prometheus scrapes the server; promtool checks the exposition text"
  "prometheus-pushgateway:prometheus-pushgateway|a real Pushgateway receives the pushes"
  "apache2-utils:htpasswd|bcrypt passwords for basic auth (the server's, the Pushgateway's)"
  "snmpsim:snmpsimd|simulated Cisco switches serving recordings"
  "snmpd:/usr/sbin/snmpd|a real net-snmp agent (SNMP v2c and v3)"
  "snmp:snmpget|checks that the SNMP agents answer"
  "openssl:openssl|certificates for the TLS tests"
  "chromium:chromium|a real browser loads the server's pages"
  "kubernetes-client:kubectl|kustomize builds the Kubernetes manifests"
  "nodejs:node|runs the schema check of the Kubernetes manifests"
  "npm:npm|installs that schema check (deploy/validate, pinned by its lock file)"
)
if [ "${1:-}" = --ci ]; then
  needs+=(
    "openjdk-17-jdk-headless:javac|Java"
    "maven:mvn|Maven, for ./jbang's first-use install of JBang"
    "shellcheck:shellcheck|checks the shell scripts"
    "buildah:buildah|scripts/test-image.sh builds and runs the Docker image without Docker"
    "debootstrap:debootstrap|scripts/test-image.sh makes the image's Debian base"
    "debian-archive-keyring:/usr/share/keyrings/debian-archive-keyring.gpg|debootstrap checks Debian's signatures"
    "curl:curl|scripts/test-image.sh and deploy/test-read-only.sh ask the image's server"
    "iproute2:ip|scripts/test-image.sh runs the image in a network namespace of its own"
    "python3-yaml:/usr/lib/python3/dist-packages/yaml/__init__.py|deploy/test-read-only.sh reads the manifests"
  )
fi

missing_packages=()
for need in "${needs[@]}"; do
  package=${need%%:*}
  rest=${need#*:}
  commands=${rest%%|*}
  for command in $commands; do
    if ! command -v "$command" > /dev/null 2>&1 && [ ! -e "$command" ]; then
      missing_packages+=("$package")
      echo "test setup: $package is missing (no $command): ${rest#*|}" >&2
      break
    fi
  done
done
[ "${#missing_packages[@]}" -eq 0 ] && exit 0

if ! command -v apt-get > /dev/null 2>&1; then
  echo "test setup: install these packages, then run the tests again: ${missing_packages[*]} (no apt-get here)" >&2
  exit 1
fi
if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo > /dev/null 2>&1 && sudo -n true 2> /dev/null; then
  as_root=(sudo -n)
else
  echo "test setup: installing ${missing_packages[*]} needs root: run 'sudo apt-get install ${missing_packages[*]}'," >&2
  echo "test setup: or run the tests as root, or give this user passwordless sudo" >&2
  exit 1
fi
echo "test setup: installing ${missing_packages[*]} with apt-get (about a minute)" >&2
log=$(mktemp /tmp/metrics-test-setup.XXXXXX)
if ! "${as_root[@]}" apt-get update -qq > "$log" 2>&1 \
    || ! "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      "${missing_packages[@]}" >> "$log" 2>&1; then
  tail -20 "$log" >&2
  echo "test setup: apt-get could not install ${missing_packages[*]} (its log: $log)" >&2
  exit 1
fi
rm -f "$log"
echo "test setup: installed ${missing_packages[*]}" >&2
