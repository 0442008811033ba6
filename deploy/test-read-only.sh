#!/usr/bin/env bash
# Runs the image as deploy/kubernetes runs it: a read-only root file system, writable only where the Deployment
# mounts an emptyDir, the Deployment's uid, environment and configuration files. Passes when the server starts,
# becomes ready, serves /metrics, /metrics/dummy and /discovery, and stops on SIGTERM; and when, with no emptyDir
# at all, it cannot start (so that the check can fail).
#
#   deploy/test-read-only.sh [IMAGE]     (default: the image scripts/test-image.sh builds)
#
# As root, with buildah, unshare (util-linux), kubectl (kustomize), curl and python3-yaml (Debian packages). It
# uses the loopback interface only; the image needs no network.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

image=${1:-localhost/metrics-image-test:latest}
say() { echo "test-read-only: $*"; }
die() { echo "test-read-only: FAILED: $*" >&2; exit 1; }

for tool in buildah unshare kubectl curl; do
  command -v "$tool" > /dev/null 2>&1 || die "$tool is missing"
done
/usr/bin/python3 -c 'import yaml' 2> /dev/null || die "python3-yaml is missing: apt-get install python3-yaml"
[ "$(id -u)" -eq 0 ] || die "run it as root (buildah and mount namespaces need it)"
buildah inspect --type image "$image" > /dev/null 2>&1 || die "no image $image: run scripts/test-image.sh first"

work=$(mktemp -d /tmp/metrics-read-only.XXXXXX)
container="" server_pid=""
cleanup() {
  set +e
  [ -z "$server_pid" ] || { kill -KILL "$server_pid" 2> /dev/null; wait "$server_pid" 2> /dev/null; }
  [ -z "$container" ] || { buildah umount "$container" > /dev/null; buildah rm "$container" > /dev/null; }
  rm -rf "$work"
}
trap cleanup EXIT

# ---- what the Deployment says ----------------------------------------------------------------

kubectl kustomize deploy/kubernetes > "$work/built.yaml"
/usr/bin/python3 - "$work" <<'PY'
import base64, sys, yaml
work = sys.argv[1]
docs = [d for d in yaml.safe_load_all(open(f"{work}/built.yaml")) if d]
by_name = {(d["kind"], d["metadata"]["name"]): d for d in docs}
deployment = next(d for d in docs if d["kind"] == "Deployment")
pod = deployment["spec"]["template"]["spec"]
container = pod["containers"][0]
assert container["securityContext"]["readOnlyRootFilesystem"] is True, "the Deployment's root is not read-only"
volumes = {v["name"]: v for v in pod["volumes"]}
with open(f"{work}/uid", "w") as f:
    f.write(f'{pod["securityContext"]["runAsUser"]}:{pod["securityContext"]["runAsGroup"]}\n')
with open(f"{work}/env", "w") as f:
    for e in container.get("env", []):
        f.write(f'{e["name"]}={e["value"]}\n')
with open(f"{work}/emptydirs", "w") as e, open(f"{work}/files", "w") as files:
    for m in container["volumeMounts"]:
        v = volumes[m["name"]]
        if "emptyDir" in v:
            e.write(m["mountPath"] + "\n")
        elif "configMap" in v or "secret" in v:
            kind, name = ("ConfigMap", v["configMap"]["name"]) if "configMap" in v else ("Secret", v["secret"]["secretName"])
            for key, value in by_name[(kind, name)]["data"].items():
                local = f"{work}/file-{name}-{key}"
                open(local, "wb").write(value.encode() if kind == "ConfigMap" else base64.b64decode(value))
                files.write(f'{local} {m["mountPath"]}/{key}\n')
PY
say "writable: $(paste -sd' ' "$work/emptydirs"); user $(cat "$work/uid")"

# ---- the container's root, read-only ---------------------------------------------------------

container=$(buildah from --pull=false "$image")
root=$(buildah mount "$container")
mapfile -t entrypoint < <(buildah inspect --type image --format '{{range .OCIv1.Config.Entrypoint}}{{println .}}{{end}}' "$image")
mapfile -t image_env < <(buildah inspect --type image --format '{{range .OCIv1.Config.Env}}{{println .}}{{end}}' "$image")
workdir=$(buildah inspect --type image --format '{{.OCIv1.Config.WorkingDir}}' "$image")
mapfile -t deployment_env < "$work/env"
port=$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

# run WRITABLE_DIRS...: the entrypoint in a mount namespace of its own, in the background; sets server_pid
run() {
  # mount points are made before the root turns read-only, as a container runtime does
  local dir source target
  for dir in "$@"; do mkdir -p "$root$dir"; done
  while read -r source target; do mkdir -p "$root$(dirname "$target")"; touch "$root$target"; done < "$work/files"
  local script="set -e; mount --bind '$root' '$root'"
  for dir in "$@"; do script+="; mount -t tmpfs -o mode=1777,size=64m tmpfs '$root$dir'"; done
  while read -r source target; do script+="; mount --bind -o ro '$source' '$root$target'"; done < "$work/files"
  script+="; mount -t proc proc '$root/proc'; mount --rbind /dev '$root/dev'; mount -o remount,bind,ro '$root'"
  # shellcheck disable=SC2016 # expanded by the inner bash: $0 the uid, $1 the root, then env's arguments
  script+='; exec chroot --userspec="$0" "$1" env -i "${@:2}"'
  local env=("${image_env[@]}" "${deployment_env[@]}" "PORT=$port" HOST=127.0.0.1 TINI_SUBREAPER=1)
  # shellcheck disable=SC2016 # expanded by the container's sh: the working directory, then the entrypoint
  unshare -m --propagation private bash -c "$script" "$(cat "$work/uid")" "$root" "${env[@]}" \
    sh -c 'cd "$0" && exec "$@"' "${workdir:-/}" "${entrypoint[@]}" > "$work/server.log" 2>&1 &
  server_pid=$!
}

# ---- without any emptyDir, the server cannot start: the check can fail --------------------------

run
for _ in $(seq 300); do kill -0 "$server_pid" 2> /dev/null || break; sleep 0.1; done
if kill -0 "$server_pid" 2> /dev/null; then
  die "with no writable directory the server still runs: this check could not fail"
fi
status=0; wait "$server_pid" || status=$?; server_pid=""
grep -q "Read-only file system" "$work/server.log" || { cat "$work/server.log" >&2; die "no read-only failure"; }
say "with no emptyDir: exit $status, $(grep -m1 -o '[^ ]*: Read-only file system' "$work/server.log")"

# ---- with the Deployment's emptyDirs, it serves and stops --------------------------------------

mapfile -t writable < "$work/emptydirs"
run "${writable[@]}"
get() { curl -sS -o "$work/answer" -w '%{http_code}' --max-time 30 "http://127.0.0.1:$port$1" 2> /dev/null || true; }
for _ in $(seq 600); do
  [ "$(get /-/ready)" = 200 ] && break
  kill -0 "$server_pid" 2> /dev/null || { cat "$work/server.log" >&2; die "the server exited"; }
  sleep 0.1
done
[ "$(get /-/ready)" = 200 ] || { cat "$work/server.log" >&2; die "not ready within 60 s"; }
for path in /metrics /metrics/dummy /discovery; do
  status=$(get "$path")
  [ "$status" = 200 ] || { cat "$work/answer" "$work/server.log" >&2; die "GET $path answered $status"; }
  say "GET $path: 200"
done
kill -TERM "$server_pid"
status=0; wait "$server_pid" || status=$?; server_pid=""
grep -q '^server: stopped' "$work/server.log" || { cat "$work/server.log" >&2; die "no graceful stop"; }
[ "$status" -eq 0 ] || die "exit $status after SIGTERM"
grep -q -i "read-only" "$work/server.log" && { cat "$work/server.log" >&2; die "a write failed"; }
say "passed: ready, served and stopped on a read-only root with $(paste -sd' ' "$work/emptydirs") writable"
