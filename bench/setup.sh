#!/usr/bin/env bash
# Installs what bench/run.sh needs (Debian packages).
set -euo pipefail
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -qq
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
  hyperfine wrk python3-prometheus-client prometheus-snmp-exporter snmpd psmisc curl time > /dev/null
