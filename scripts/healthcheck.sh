#!/usr/bin/env bash
# The image's HEALTHCHECK: healthy when the server answers GET /-/healthy with 200 on PORT.
# Plain bash (its /dev/tcp), so the image needs no HTTP client.
set -euo pipefail
port="${PORT:-80}"
exec 3<> "/dev/tcp/127.0.0.1/$port"
printf 'GET /-/healthy HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3
IFS=$' \r' read -r _ status _ <&3
[ "$status" = 200 ]
