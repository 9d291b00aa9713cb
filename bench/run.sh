#!/usr/bin/env bash
# The jfind core benchmark: one command that builds jfind, generates a tree of N files,
# indexes it with jfindd and measures crawl time, index size, memory and query latency,
# beside find, fdfind and plocate on the same tree. Prints a table and writes it to
# docs/benchmarks.md. See bench/README.md.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")
command_line="bench/run.sh"
(($#)) && command_line+=$(printf ' %q' "$@")

files=1000000
seed=42
work="$here/work"
build=1
install=1
docs=1
keep=0
runs=10
warmup=50
warmup_seconds=5
iterations=200
threads=""
timeout=3600

usage() {
    cat <<EOF
Usage: bench/run.sh [options]

Builds jfind (mvn package in this checkout), generates a deterministic tree of N files
(reused when already there), starts jfindd on it with a fresh index and measures, in one run:
full crawl+index time, index bytes per path, daemon RSS, in-process query latency over gRPC
(selective ~10 hits, medium ~N/1000, broad ~N/10; median and p99), jfind-client end-to-end
time, and the same selective query with find, fdfind and plocate (updatedb.plocate timed too).
Missing peers are installed with apt-get (fd-find, plocate, hyperfine). Prints a table and
replaces this benchmark's section of docs/benchmarks.md.

Options:
  --files N        files in the generated tree (default $files)
  --seed S         generator seed (default $seed)
  --work DIR       scratch directory for trees, index, databases (default bench/work)
  --no-build       use the jars already built in this checkout
  --no-install     do not apt-get install missing tools (fail instead)
  --no-docs        print the table only; leave docs/benchmarks.md alone
  --keep           keep this run's index, plocate database, logs and raw results
                   (WORK/run); the tree itself is always kept for reuse
  --runs N         runs per end-to-end command timed with hyperfine (default $runs)
  --warmup N       warm-up searches before the in-process measurements (default $warmup),
  --warmup-seconds S  and at least S seconds of them (default $warmup_seconds)
  --iterations N   measured in-process searches per pattern (default $iterations; the broad
                   pattern gets a quarter of both)
  --threads N      jfindd --threads (default: jfindd's own default)
  --timeout SEC    give up if the first crawl is not done after SEC seconds (default $timeout)
  -h, --help       this help
EOF
}

die() { echo "bench: $*" >&2; exit 1; }
say() { echo "bench: $*" >&2; }

while (($#)); do
    case "$1" in
        --files) files=${2:?}; shift 2 ;;
        --seed) seed=${2:?}; shift 2 ;;
        --work) work=${2:?}; shift 2 ;;
        --no-build) build=0; shift ;;
        --no-install) install=0; shift ;;
        --no-docs) docs=0; shift ;;
        --keep) keep=1; shift ;;
        --runs) runs=${2:?}; shift 2 ;;
        --warmup) warmup=${2:?}; shift 2 ;;
        --warmup-seconds) warmup_seconds=${2:?}; shift 2 ;;
        --iterations) iterations=${2:?}; shift 2 ;;
        --threads) threads=${2:?}; shift 2 ;;
        --timeout) timeout=${2:?}; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; die "unknown option: $1" ;;
    esac
done
[[ $files =~ ^[0-9]+$ ]] && ((files >= 1000)) || die "--files must be a number >= 1000"
for v in seed runs warmup warmup_seconds iterations timeout; do
    [[ ${!v} =~ ^[0-9]+$ ]] || die "--$v must be a number"
done
((runs >= 2 && iterations >= 4)) || die "--runs must be >= 2 and --iterations >= 4"

started_at=$(date +%s)

# ---------------------------------------------------------------- build and tools
if ((build)); then
    say "building: mvn -B -q -DskipTests package in $repo"
    (cd "$repo" && mvn -B -q -DskipTests package) || die "build failed"
fi
jfindd="$repo/deploy/bin/jfindd"
client="$repo/deploy/bin/jfind-client"
client_cp="$repo/client/target/jfind-client.jar:$repo/client/target/lib/*"
[ -f "$repo/server/target/jfindd.jar" ] && [ -f "$repo/client/target/jfind-client.jar" ] \
    || die "no build in $repo (run without --no-build)"
command -v python3 >/dev/null || die "python3 is needed to generate the tree"
command -v javac >/dev/null || die "javac (a JDK 17) is needed"

PATH="$PATH:/usr/sbin:/sbin"
need=()
command -v fdfind >/dev/null || need+=(fd-find)
{ command -v plocate && command -v updatedb.plocate; } >/dev/null || need+=(plocate)
command -v hyperfine >/dev/null || need+=(hyperfine)
if ((${#need[@]})); then
    ((install)) || die "missing: ${need[*]} (apt-get install ${need[*]}, or run without --no-install)"
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null || die "missing ${need[*]} and not root: install them first"
        sudo=sudo
    fi
    say "installing ${need[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi

# ---------------------------------------------------------------- scratch space and cleanup
mkdir -p "$work"
work=$(cd "$work" && pwd -P)
run="$work/run"
rm -rf "$run"
mkdir -p "$run"
sockdir=$(mktemp -d "${TMPDIR:-/tmp}/jfind-bench.XXXXXX") # Unix socket paths must be short
sock="$sockdir/jfind.sock"
daemon_pid=""

cleanup() {
    local rc=$?
    if [ -n "$daemon_pid" ] && kill -0 "$daemon_pid" 2>/dev/null; then
        kill -TERM "$daemon_pid" 2>/dev/null || true
        for _ in $(seq 1 100); do
            kill -0 "$daemon_pid" 2>/dev/null || break
            sleep 0.2
        done
        if kill -0 "$daemon_pid" 2>/dev/null; then
            say "jfindd did not stop on SIGTERM within 20 s; killing it"
            kill -KILL "$daemon_pid" 2>/dev/null || true
        fi
    fi
    rm -rf "$sockdir"
    if ((keep == 0)) && ((rc == 0)); then
        rm -rf "$run"
    elif [ -d "$run" ]; then
        say "kept $run"
    fi
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------- the tree
gen_hash=$(sha256sum "$here/gentree.py" | cut -c1-8)
tree_name="tree-$files-s$seed-$gen_hash"
root="$work/$tree_name"
manifest="$work/$tree_name.json"
for stale in "$work"/tree-*; do
    [ -e "$stale" ] || continue
    case "$stale" in "$root"|"$manifest") continue ;; esac
    say "removing a tree of other parameters: $stale"
    rm -rf "$stale"
done
generated=0
if [ -d "$root" ] && [ -f "$manifest" ]; then
    say "reusing $root"
else
    rm -rf "$root" "$root.partial" "$manifest"
    say "generating $files files into $root"
    python3 "$here/gentree.py" --root "$root" --files "$files" --seed "$seed" --manifest "$manifest" >/dev/null
    generated=1
fi
read -r pat_selective pat_medium pat_broad < <(python3 -c '
import json, sys
p = json.load(open(sys.argv[1]))["patterns"]
print(p["selective"], p["medium"], p["broad"])' "$manifest")

count0() { tr -cd '\0' | wc -c; }

say "reference counts with find (this also warms the page cache for every tool)"
declare -A find_count
for kind in selective medium broad; do
    var="pat_$kind"
    find_count[$kind]=$(find "$root" -path "*${!var}*" -print0 | count0)
done
all_paths=$(find "$root" -print0 | count0)
say "tree: $all_paths paths; find -path matches: ${pat_selective}=${find_count[selective]}, ${pat_medium}=${find_count[medium]}, ${pat_broad}=${find_count[broad]}"

# ---------------------------------------------------------------- jfindd: crawl and index
state="$run/jfind-state"
mkdir -p "$state"
say "starting jfindd on $root (fresh state dir)"
t0=$(date +%s.%N)
"$jfindd" --root "$root" --state-dir "$state" --socket "$sock" ${threads:+--threads "$threads"} \
    2>"$run/jfindd.log" &
daemon_pid=$!

status_json() { "$client" --socket "$sock" status --json 2>/dev/null; }
json_field() { python3 -c 'import json,sys; v=json.loads(sys.argv[1]).get(sys.argv[2]); print("" if v is None else v)' "$1" "$2"; }

# Wait for the first crawl. Asking status starts a JVM, which would steal CPU from the
# crawl on a small machine: so watch the daemon's log cheaply and ask status every 10 s.
deadline=$(($(date +%s) + timeout))
last_ask=0
ready_json=""
while :; do
    kill -0 "$daemon_pid" 2>/dev/null || { tail -20 "$run/jfindd.log" >&2; die "jfindd exited during the first crawl"; }
    now=$(date +%s)
    if grep -q 'crawl done' "$run/jfindd.log" 2>/dev/null || ((now - last_ask >= 10)); then
        last_ask=$now
        if s=$(status_json) && [ "$(json_field "$s" state)" = ready ]; then
            ready_json=$s
            break
        fi
    fi
    ((now < deadline)) || die "jfindd not ready after $timeout s"
    sleep 0.2
done
t_ready=$(date +%s.%N)
rss_ready_kb=$(awk '/^VmRSS:/ {print $2}' "/proc/$daemon_pid/status")
crawl_s=$(json_field "$ready_json" last_crawl_seconds)
paths=$(json_field "$ready_json" paths)
index_bytes_ready=$(json_field "$ready_json" index_bytes)
start_to_ready_s=$(python3 -c "print(f'{$t_ready - $t0:.3f}')")
say "jfindd ready: $paths paths, crawl+index ${crawl_s} s (start to ready ${start_to_ready_s} s), index ${index_bytes_ready} bytes, RSS $((rss_ready_kb / 1024)) MiB"
[ "$paths" = "$all_paths" ] || say "WARNING: status says ready with $paths paths, find sees $all_paths"

# ---------------------------------------------------------------- in-process latency
declare -A lat_line
for kind in selective medium broad; do
    var="pat_$kind"
    w=$warmup it=$iterations
    if [ "$kind" = broad ]; then w=$((warmup / 4)) it=$((iterations / 4)); fi
    say "in-process latency, $kind pattern '${!var}' ($w+ warm-ups for ${warmup_seconds}+ s, $it measured)"
    lat_line[$kind]=$(java -cp "$client_cp" "$here/QueryLatency.java" --socket "$sock" --pattern "${!var}" \
        --warmup "$w" --warmup-seconds "$warmup_seconds" --iterations "$it")
    say "  ${lat_line[$kind]}"
done

# ---------------------------------------------------------------- counts and result sets
declare -A jfind_count fd_count
for kind in selective medium broad; do
    var="pat_$kind"
    jfind_count[$kind]=$("$client" --socket "$sock" -c "${!var}")
    fd_count[$kind]=$(fdfind -u -s -F --full-path -0 "${!var}" "$root" | count0)
done
"$client" --socket "$sock" -0 "$pat_selective" | sort -z >"$run/selective.jfind"
find "$root" -path "*$pat_selective*" -print0 | sort -z >"$run/selective.find"
if cmp -s "$run/selective.jfind" "$run/selective.find"; then
    selective_same=yes
else
    selective_same=no
    say "WARNING: jfind's result set for '$pat_selective' differs from find's:"
    diff <(tr '\0' '\n' <"$run/selective.find") <(tr '\0' '\n' <"$run/selective.jfind") | head -20 >&2 || true
fi

# ---------------------------------------------------------------- plocate
db="$run/plocate.db"
updatedb_cmd="updatedb.plocate -U $(printf %q "$root") -o $(printf %q "$db") --require-visibility no --prune-bind-mounts no --prunepaths '' --prunenames '' --prunefs ''"
say "timing updatedb.plocate (1 warm-up, 3 runs)"
hyperfine -N --style none --warmup 1 --runs 3 --export-json "$run/updatedb.json" "$updatedb_cmd" >/dev/null
db_bytes=$(stat -c %s "$db")
declare -A plocate_count
for kind in selective medium broad; do
    var="pat_$kind"
    plocate_count[$kind]=$(plocate -c -d "$db" "${!var}")
done
plocate_paths=$(plocate -c -d "$db" "$root")

# ---------------------------------------------------------------- end to end, selective
hello="$run/hello"
mkdir -p "$hello"
printf 'public class Hello { public static void main(String[] a) { System.out.println("hello"); } }\n' >"$hello/Hello.java"
javac -d "$hello" "$hello/Hello.java"
q() { printf %q "$1"; }
cmd_client="$(q "$client") --socket $(q "$sock") $(q "$pat_selective")"
cmd_hello="java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xss512k -cp $(q "$hello") Hello"
cmd_find="find $(q "$root") -path $(q "*$pat_selective*")"
cmd_fd="fdfind -u -s -F --full-path $(q "$pat_selective") $(q "$root")"
cmd_plocate="plocate -d $(q "$db") $(q "$pat_selective")"
say "timing the selective query end to end ($runs runs each, 2 warm-ups): jfind-client, hello-world JVM, find, fdfind, plocate"
hyperfine -N --style none --warmup 2 --runs "$runs" --export-json "$run/e2e.json" \
    -n jfind-client "$cmd_client" -n hello-jvm "$cmd_hello" -n find "$cmd_find" \
    -n fdfind "$cmd_fd" -n plocate "$cmd_plocate" >/dev/null

# ---------------------------------------------------------------- settle, collect, report
rss_end_kb=$(awk '/^VmRSS:/ {print $2}' "/proc/$daemon_pid/status")
hwm_kb=$(awk '/^VmHWM:/ {print $2}' "/proc/$daemon_pid/status")
end_json=$(status_json)
index_bytes_end=$(json_field "$end_json" index_bytes)
paths_end=$(json_field "$end_json" paths)
index_du=$(du -sb "$state/index" | cut -f1)
if grep -qiE 'exception|error' "$run/jfindd.log"; then
    say "NOTE: the daemon log has errors or exceptions (see below)"
    grep -iE 'exception|error' "$run/jfindd.log" | sort | uniq -c | head -10 >&2
fi

{
    echo "command=$command_line"
    echo "files=$files"
    echo "seed=$seed"
    echo "built=$build"
    echo "generated=$generated"
    echo "generation_s=$(json_field "$(cat "$manifest")" generation_seconds)"
    echo "root=$root"
    echo "all_paths=$all_paths"
    echo "paths_ready=$paths"
    echo "paths=$paths_end"
    echo "crawl_s=$crawl_s"
    echo "start_to_ready_s=$start_to_ready_s"
    echo "index_bytes_ready=$index_bytes_ready"
    echo "index_bytes_end=$index_bytes_end"
    echo "index_du=$index_du"
    echo "rss_ready_kb=$rss_ready_kb"
    echo "rss_end_kb=$rss_end_kb"
    echo "hwm_kb=$hwm_kb"
    echo "threads=${threads:-default}"
    echo "db_bytes=$db_bytes"
    echo "plocate_paths=$plocate_paths"
    echo "selective_same=$selective_same"
    for kind in selective medium broad; do
        var="pat_$kind"
        echo "pattern_$kind=${!var}"
        echo "lat_$kind=${lat_line[$kind]}"
        echo "count_find_$kind=${find_count[$kind]}"
        echo "count_jfind_$kind=${jfind_count[$kind]}"
        echo "count_fd_$kind=${fd_count[$kind]}"
        echo "count_plocate_$kind=${plocate_count[$kind]}"
    done
    echo "runs=$runs"
    echo "iterations=$iterations"
    echo "warmup=$warmup"
    echo "warmup_seconds=$warmup_seconds"
    echo "elapsed_s=$(($(date +%s) - started_at))"
    echo "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "nproc=$(nproc)"
    echo "cpu=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)"
    echo "mem_kb=$(awk '/^MemTotal:/ {print $2}' /proc/meminfo)"
    echo "load=$(cut -d' ' -f1-3 /proc/loadavg)"
    echo "kernel=$(uname -r)"
    echo "fs=$(df -PT "$root" | awk 'NR == 2 {print $2}')"
    echo "jdk=$(java -version 2>&1 | head -1)"
    echo "version=$(git -C "$repo" describe --always --dirty 2>/dev/null || echo 'unknown (not a git checkout)')"
    echo "jfindd_opts=${JFINDD_JAVA_OPTS:-launcher default}"
    echo "find_version=$(find --version | head -1)"
    echo "fd_version=$(fdfind --version)"
    echo "plocate_version=$(plocate --version | head -1)"
    echo "hyperfine_version=$(hyperfine --version)"
} >"$run/results.txt"
cp "$manifest" "$run/tree.json"

report_args=("$run")
((docs)) && report_args+=(--docs "$repo/docs/benchmarks.md")
python3 "$here/report.py" "${report_args[@]}"
