#!/usr/bin/env bash
# What per-user visibility costs: the same searches on one daemon, as root (who sees
# everything: no filter) and as an unprivileged user (every hit judged), on the generated
# tree of bench/run.sh, all of it readable by that user so both get the same hits and the
# filter does its full work. Prints a table. Run as root (it switches user with setpriv).
set -euo pipefail

usage() {
    cat <<'TXT'
Usage: bench/access.sh [options]

Times in-process searches (bench/QueryLatency.java, median of N after a warm-up) on one
jfindd: as root, unfiltered; as USER with the daemon's per-user cache warm; and as USER with
the cache expired before every search (a pause longer than its 5 s time to live), so each
search stats every directory it has hits in, compared with root after the same pause. Prints
a table with the ratios to root.

Options:
  --files N        files in the generated tree (default 200000; bench/gentree.py)
  --work DIR       where the trees are kept (default bench/work)
  --user USER      the unprivileged caller (default nobody)
  --iterations N   measured searches per row (default 100; 8 for the expired-cache rows)
  --no-build       use the jars already built in this checkout
  -h, --help       this help
TXT
}

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")
# shellcheck source=bench/lib.sh
. "$here/lib.sh"
files=200000
seed=42
work="$here/work"
user=nobody
iterations=100
build=1
while (($#)); do
    case "$1" in
        --files) files=${2:?}; shift 2 ;;
        --work) work=${2:?}; shift 2 ;;
        --user) user=${2:?}; shift 2 ;;
        --iterations) iterations=${2:?}; shift 2 ;;
        --no-build) build=0; shift ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; say "unknown option: $1"; exit 2 ;;
    esac
done
[ "$(id -u)" = 0 ] || { say "run as root: it searches as root and as $user"; exit 2; }

build_unless_told_not_to
root=$(generated_tree "$work" "$files" "$seed")
# The caller must be able to list every directory down to the tree, or it sees nothing.
if ! setpriv --reuid="$user" --regid="$(id -g "$user")" --init-groups -- test -r "$root" -a -x "$root"; then
    say "$user cannot list $root; use --work in a directory every user can reach"; exit 2
fi

run=$(mktemp -d /tmp/jfind-access.XXXXXX)
chmod 755 "$run"
sock="$run/jfind.sock"
pid=""
cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
    rm -rf "$run"
}
trap cleanup EXIT
"$repo/deploy/bin/jfindd" --root "$root" --state-dir "$run/state" --socket "$sock" --socket-mode 0666 \
    --no-watch >"$run/jfindd.log" 2>&1 &
pid=$!
say "indexing $root"
for _ in $(seq 3000); do
    "$repo/deploy/bin/jfind-client" --socket "$sock" status --json 2>/dev/null | grep -q '"state":"ready"' && break
    sleep 0.2
done

cp="$repo/client/target/jfind-client.jar:$repo/client/target/lib/*"
# latency AS PATTERN [QueryLatency options...]: prints "hits median_ms"
latency() {
    local as=$1 pattern=$2
    shift 2
    local prefix=()
    [ "$as" = root ] || prefix=(setpriv --reuid="$as" --regid="$(id -g "$as")" --init-groups --)
    "${prefix[@]}" java -cp "$cp" "$here/QueryLatency.java" --socket "$sock" --pattern "$pattern" "$@" \
        | sed -E 's/.*hits=([0-9]+).*median_ms=([0-9.]+).*/\1 \2/'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
ttl_pause=5500 # the daemon keeps a directory's verdict 5 s (access.Visibility.DEFAULT_TTL)
rows=()
for spec in "quokka" "squirrel" "quartz" "quartz --count-only"; do
    read -r pattern extra <<<"$spec"
    say "searching '$spec'"
    read -r hits_root ms_root < <(latency root "$pattern" $extra --warmup 50 --warmup-seconds 3 --iterations "$iterations")
    read -r hits_user ms_warm < <(latency "$user" "$pattern" $extra --warmup 50 --warmup-seconds 3 --iterations "$iterations")
    # after the same pause, root is the fair baseline: an idle pause alone slows the next search
    read -r _ ms_root_paused < <(latency root "$pattern" $extra --warmup 20 --iterations 8 --pause-ms "$ttl_pause")
    read -r _ ms_cold < <(latency "$user" "$pattern" $extra --warmup 20 --iterations 8 --pause-ms "$ttl_pause")
    [ "$hits_root" = "$hits_user" ] || say "MISMATCH: root got $hits_root hits, $user $hits_user"
    rows+=("$(printf '| `%s` | %s | %.2f | %.2f | %.2fx | %.2f | %.2f | %.2fx |' "$spec" "$hits_root" "$ms_root" \
        "$ms_warm" "$(ratio "$ms_warm" "$ms_root")" "$ms_root_paused" "$ms_cold" "$(ratio "$ms_cold" "$ms_root_paused")")")
done

dirs=$(find "$root" -type d | wc -l)
echo
echo "Search latency, median ms: root (no filter) and $user (every hit judged), $files files in $dirs directories"
echo
echo "| search | hits | root | $user, cache warm | ratio | root, after ${ttl_pause} ms idle | $user, cache expired | ratio |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
printf '%s\n' "${rows[@]}"
echo
run_context
echo "- Command: \`bench/access.sh --files $files\`"
