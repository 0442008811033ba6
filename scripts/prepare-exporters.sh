#!/usr/bin/env bash
# Prepares the server and the exporters named in EXPORTERS to run with no network and no JBang:
# the Dockerfile's build stage runs it; it runs on any machine with Java 17+ and Maven too.
#
#   scripts/prepare-exporters.sh --exporters dummy,cisco --app DIR [--stage DIR [--jlink]]
#
# 1. Checks every name against the exporters in this checkout (exporters/NAME.java or
#    exporters/NAME/NAME.java); an unknown or invalid name stops it (exit 2) before anything is built.
# 2. Copies only the chosen exporters (with Exporter.java, harness/ and worker/) into DIR/exporters.
# 3. Exports the server with JBang to DIR/server/server.jar (dependencies in DIR/server/lib/, found
#    through the jar's manifest), without the exporters bundled in it: in DIR the server finds exactly
#    the chosen exporters, and any other name is a 404.
# 4. Runs `server.jar --prepare` in DIR: JBang builds each exporter and the command cache
#    ($METRICS_CACHE_DIR/commands) gets its java command; it must list exactly the chosen exporters.
# 5. With --stage: copies everything the prepared commands need (DIR, the cache entries, the jars
#    they name) into STAGE at the same absolute paths, the layout the runtime image copies to /.
#    With --jlink as well: a Java runtime made by jlink with the modules they use, at STAGE$JAVA_HOME
#    (the cached commands name $JAVA_HOME/bin/java, so the runtime must sit where the JDK was).
set -euo pipefail

die() { echo "prepare-exporters: $*" >&2; exit "${status:-1}"; }
usage() {
  echo "usage: $0 --exporters NAME[,NAME...] --app DIR [--stage DIR [--jlink]]" >&2
  exit 2
}

source_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
exporters="" app="" stage="" jlink=false
while [ "$#" -gt 0 ]; do
  case "$1" in
    --exporters) [ "$#" -ge 2 ] || usage; exporters=$2; shift 2 ;;
    --exporters=*) exporters=${1#*=}; shift ;;
    --app) [ "$#" -ge 2 ] || usage; app=$2; shift 2 ;;
    --app=*) app=${1#*=}; shift ;;
    --stage) [ "$#" -ge 2 ] || usage; stage=$2; shift 2 ;;
    --stage=*) stage=${1#*=}; shift ;;
    --jlink) jlink=true; shift ;;
    -h|--help) usage ;;
    *) echo "prepare-exporters: unknown argument '$1'" >&2; usage ;;
  esac
done
[ -n "$app" ] || usage
if [ "$jlink" = true ] && [ -z "$stage" ]; then
  status=2 die "--jlink needs --stage: the runtime is made for the staged image"
fi

# ---- 1. the names ----------------------------------------------------------------------------

present=()
for candidate in "$source_dir"/exporters/*.java "$source_dir"/exporters/*/; do
  candidate=${candidate%/}
  name=$(basename "$candidate" .java)
  if [ "$name" != Exporter ] && { [ -f "$source_dir/exporters/$name.java" ] \
      || [ -f "$source_dir/exporters/$name/$name.java" ]; }; then
    present+=("$name")
  fi
done
present_list=$(printf '%s\n' "${present[@]}" | sort -u | paste -sd, - | sed 's/,/, /g')

chosen=() problems=()
IFS=',' read -r -a requested <<< "$exporters"
for name in "${requested[@]}"; do
  name=$(printf '%s' "$name" | tr -d '[:space:]')
  [ -n "$name" ] || continue
  if [[ ! "$name" =~ ^[A-Za-z0-9_-]+$ ]] || [ "$name" = Exporter ]; then
    problems+=("'$name' is not a valid exporter name (names match [A-Za-z0-9_-]+)")
  elif [ ! -f "$source_dir/exporters/$name.java" ] && [ ! -f "$source_dir/exporters/$name/$name.java" ]; then
    problems+=("unknown exporter '$name'")
  elif [[ " ${chosen[*]} " != *" $name "* ]]; then
    chosen+=("$name")
  fi
done
if [ "${#problems[@]}" -gt 0 ]; then
  for problem in "${problems[@]}"; do echo "prepare-exporters: EXPORTERS: $problem" >&2; done
  status=2 die "EXPORTERS='$exporters': exporters present: $present_list"
fi
if [ "${#chosen[@]}" -eq 0 ]; then
  status=2 die "EXPORTERS is empty: name one or more of $present_list (e.g. EXPORTERS=dummy,cisco)"
fi
echo "prepare-exporters: preparing ${chosen[*]}"

# ---- the tools -------------------------------------------------------------------------------

if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
  java_home=$(readlink -f "$JAVA_HOME")
elif command -v javac > /dev/null 2>&1; then
  java_home=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
else
  die "a JDK 17+ is needed: set JAVA_HOME or put javac on PATH"
fi
java="$java_home/bin/java"
jar_tool="$java_home/bin/jar"
[ -x "$jar_tool" ] || die "$java_home is not a JDK (no bin/jar): set JAVA_HOME to a JDK 17+"
# JBang must pick the same JDK, so that the cached commands name $java.
export JAVA_HOME="$java_home"
cache_dir="${METRICS_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/metrics}"

# ---- 2. the chosen exporters -----------------------------------------------------------------

mkdir -p "$app"
app=$(cd "$app" && pwd -P)
case "$app/" in
  "$source_dir"/*) die "--app must be outside the checkout ($source_dir)" ;;
esac
rm -rf "$app/exporters" "$app/server"
mkdir -p "$app/exporters"
cp -p "$source_dir/exporters/Exporter.java" "$app/exporters/"
cp -Rp "$source_dir/exporters/harness" "$source_dir/exporters/worker" "$app/exporters/"
for name in "${chosen[@]}"; do
  if [ -f "$source_dir/exporters/$name.java" ]; then
    cp -p "$source_dir/exporters/$name.java" "$app/exporters/"
  else
    cp -Rp "$source_dir/exporters/$name" "$app/exporters/"
  fi
done

# ---- 3. the server, without JBang at run time -------------------------------------------------

mkdir -p "$app/server"
if ! "$source_dir/jbang" --quiet export portable --force -O "$app/server/server.jar" "$source_dir/server.java" \
    > "$app/server/export.log" 2>&1; then
  cat "$app/server/export.log" >&2
  die "JBang could not build server.java (see above)"
fi
rm -f "$app/server/export.log"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/jar"
(cd "$work/jar" && "$jar_tool" xf "$app/server/server.jar")
rm -rf "$work/jar/exporters"
mv "$work/jar/META-INF/MANIFEST.MF" "$work/manifest"
"$jar_tool" --create --file "$app/server/server.jar.new" --manifest "$work/manifest" -C "$work/jar" .
"$jar_tool" --list --file "$app/server/server.jar.new" | grep -qx 'server.class' \
  || die "the repacked server.jar has no server.class"
mv "$app/server/server.jar.new" "$app/server/server.jar"

# ---- 4. build the exporters through the server's own --prepare --------------------------------

prepared=$(cd "$app" && env -u METRICS_EXPORTERS -u PORT -u HOST -u WORKERS -u TIMEOUT \
  METRICS_JBANG="$source_dir/jbang" "$java" -jar "$app/server/server.jar" --prepare) || {
  printf '%s\n' "$prepared" >&2
  die "the server could not prepare the exporters (see above)"
}
got=$(printf '%s\n' "$prepared" | awk '$1 == "ok" { print $2 }' | sort | paste -sd' ' -)
want=$(printf '%s\n' "${chosen[@]}" | sort | paste -sd' ' -)
if [ "$got" != "$want" ]; then
  printf '%s\n' "$prepared" >&2
  die "the server prepared [$got], expected [$want]"
fi
printf '%s\n' "$prepared"

# ---- 5. stage what the runtime needs ---------------------------------------------------------

[ -n "$stage" ] || exit 0
mkdir -p "$stage"
stage=$(cd "$stage" && pwd -P)
stage_file() { mkdir -p "$stage$(dirname "$1")" && cp -p "$1" "$stage$1"; }

# the build cache entry of each exporter: BuildCache's file name is the SHA-256 of the source path
jars=()
for name in "${chosen[@]}"; do
  source_file="$app/exporters/$name.java"
  [ -f "$source_file" ] || source_file="$app/exporters/$name/$name.java"
  entry="$cache_dir/commands/$(printf '%s' "$source_file" | sha256sum | cut -d' ' -f1).cmd"
  [ -f "$entry" ] || die "no command cache entry for $name ($entry)"
  case "$(head -n 1 "$entry")" in
    "metrics-exporter-build 3") ;;
    *) die "$entry: unknown build cache format; update scripts/prepare-exporters.sh" ;;
  esac
  entry_java=$(awk '$1 == "java" { print substr($0, length($1) + 2); exit }' "$entry")
  [ "$entry_java" = "$java" ] || die "$name's cached command runs '$entry_java', not $java"
  while IFS= read -r line; do
    case "$line" in
      "needs "*) jars+=("${line#needs }"); stage_file "${line#needs }" ;;
      "source "*)
        path=${line#source * }
        case "$path" in "$app"/*) ;; *) die "$name is built from $path, outside $app" ;; esac ;;
    esac
  done < "$entry"
  stage_file "$entry"
done
mkdir -p "$stage$(dirname "$app")"
rm -rf "${stage:?}$app"
cp -Rp "$app" "$stage$app"
mkdir -p "$stage$cache_dir"

if [ "$jlink" = true ]; then
  # The server's modules are listed by hand (jdeps cannot analyse Jetty's modular jars).
  modules=java.base,java.logging,java.management,java.naming,java.net.http,java.sql,java.xml
  modules="$modules,jdk.crypto.ec,jdk.unsupported,jdk.zipfs"
  # The exporters' jars are analysed one by one; a jar jdeps cannot read brings in all of Java SE.
  mapfile -t unique_jars < <(printf '%s\n' "${jars[@]}" | sort -u)
  for jar in "${unique_jars[@]}"; do
    if found=$("$java_home/bin/jdeps" --ignore-missing-deps --multi-release 17 --print-module-deps "$jar" 2> /dev/null); then
      modules="$modules,$found"
    else
      echo "prepare-exporters: jdeps cannot read $jar: the runtime gets all of Java SE" >&2
      modules="$modules,java.se"
    fi
  done
  modules=$(printf '%s\n' "${modules//,/$'\n'}" | grep . | sort -u | paste -sd, -)
  echo "prepare-exporters: jlink --add-modules $modules"
  rm -rf "${stage:?}$java_home"
  mkdir -p "$(dirname "$stage$java_home")"
  "$java_home/bin/jlink" --add-modules "$modules" --output "$stage$java_home" \
    --strip-java-debug-attributes --no-man-pages --no-header-files --compress=2 --generate-cds-archive
fi
echo "prepare-exporters: staged in $stage ($(du -sh "$stage" | cut -f1))"
