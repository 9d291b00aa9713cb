#!/usr/bin/env bash
# Client start-up benchmark: jfind-client end to end for a selective query, beside a
# hello-world JVM started the same way, with and without the class-data-sharing archive.
# One command; prints a table and replaces its section of docs/benchmarks.md.
set -euo pipefail

usage() {
    cat <<'TXT'
Usage: bench/client-startup.sh [options]

Starts jfindd (from this checkout, live updates off) on a generated tree, then times in
turns, RUNS times each after 3 warm-ups (bench/interleave.py):
  - deploy/bin/jfind-client --socket S quokka   (10 paths; its CDS archive made by the
    first warm-up, in a scratch cache directory)
  - the same with JFIND_CDS=off
  - a hello-world JVM with the launcher's own JVM flags and a CDS archive made the same way
  - the same hello-world JVM without that archive (the JDK's default archive only)
Prints median, p90, min and max wall time and the median CPU time (user + system) of each,
and replaces this benchmark's section of docs/benchmarks.md.

Options:
  --runs N     timed runs per command (default 30)
  --files N    files in the generated tree (default 20000)
  --work DIR   scratch directory (default bench/work/client-startup)
  --no-build   use the jars already built in this checkout
  --no-docs    print the table only
  -h, --help   this help
TXT
}

runs=30 files=20000 build=1 docs=1
repo=$(cd "$(dirname "$0")/.." && pwd)
work="$repo/bench/work/client-startup"
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) runs=$2; shift 2 ;;
        --files) files=$2; shift 2 ;;
        --work) work=$2; shift 2 ;;
        --no-build) build=0; shift ;;
        --no-docs) docs=0; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "bench/client-startup.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done

. "$repo/bench/lib.sh"
started=$(date +%s)
build_unless_told_not_to
client="$repo/deploy/bin/jfind-client"
pattern=quokka
rm -rf "$work"
mkdir -p "$work/hello" "$work/cache"
say "generating a tree of $files files"
python3 "$repo/bench/gentree.py" --root "$work/tree" --files "$files" --seed 42 >/dev/null
sock=$(mktemp -u /tmp/jfind-startup.XXXXXX.sock)
"$repo/deploy/bin/jfindd" --root "$work/tree" --state-dir "$work/state" --socket "$sock" --no-watch \
    2>"$work/jfindd.log" &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null || true; rm -f "$sock"' EXIT
export XDG_CACHE_HOME="$work/cache" # the client's archive: made anew by this run's first call
ready=0
for _ in $(seq 600); do
    if JFIND_CDS=off "$client" --socket "$sock" status --json 2>/dev/null | grep -q '"state":"ready"'; then
        ready=1
        break
    fi
    sleep 0.1
done
[ "$ready" = 1 ] || { say "jfindd did not get ready: $(cat "$work/jfindd.log")"; exit 1; }
hits=$("$client" --socket "$sock" "$pattern" | wc -l) # also makes the client's archive
find_hits=$(find "$work/tree" -path "*$pattern*" | wc -l)
[ "$hits" = "$find_hits" ] || { say "MISMATCH: jfind-client found $hits paths, find $find_hits"; exit 1; }

# The hello-world JVM gets the launcher's own flags (read from it, so they cannot drift) and
# an archive made as the launcher makes the client's.
eval "$(grep '^jvm_flags=' "$client")"
printf 'public class Hello { public static void main(String[] a) { System.out.println("hello"); } }\n' \
    >"$work/hello/Hello.java"
javac -d "$work/hello" "$work/hello/Hello.java"
jar cf "$work/hello.jar" -C "$work/hello" Hello.class # CDS archives classes from jars only
# shellcheck disable=SC2086 # the flag list is words
java $jvm_flags -XX:ArchiveClassesAtExit="$work/hello.jsa" -cp "$work/hello.jar" Hello >/dev/null
archive=$(ls "$work/cache/jfind/"client-*.jsa)
fixed=""
[ -f "$archive.fixed" ] && fixed="-XX:+UnlockDiagnosticVMOptions -XX:ArchiveRelocationMode=0"

commands=$(python3 - "$client" "$sock" "$pattern" "$work" "$jvm_flags" "$fixed" <<'PY'
import json, sys
client, sock, pattern, work, flags, fixed = sys.argv[1:]
java = ["java"] + flags.split()
hello = ["-cp", work + "/hello.jar", "Hello"]
print(json.dumps([
    {"name": "client", "argv": [client, "--socket", sock, pattern]},
    {"name": "client_nocds", "argv": [client, "--socket", sock, pattern], "env": {"JFIND_CDS": "off"}},
    {"name": "hello", "argv": java + fixed.split() + ["-Xshare:auto", "-XX:SharedArchiveFile=" + work + "/hello.jsa"] + hello},
    {"name": "hello_nocds", "argv": java + ["-Xshare:auto"] + hello},
]))
PY
)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
say "timing $runs runs of each command in turns (3 warm-ups); load average now $load_before"
results=$(echo "$commands" | python3 "$repo/bench/interleave.py" "$runs" 3)
echo "$results" >"$work/results.jsonl"
table=$(python3 - "$hits" "$pattern" <<PY
import json, sys
hits, pattern = sys.argv[1:]
rows = {r["name"]: r for r in map(json.loads, """$results""".splitlines())}
label = {
    "client": f"jfind-client '{pattern}' ({hits} paths), CDS archive",
    "client_nocds": "jfind-client, JFIND_CDS=off",
    "hello": "hello-world JVM, same flags, its own CDS archive",
    "hello_nocds": "hello-world JVM, same flags, no archive (JDK default CDS)",
}
print("| command | median, ms | p90, ms | min / max, ms | CPU median, ms | target |")
print("|---|---|---|---|---|---|")
for name, text in label.items():
    r = rows[name]
    target = ""
    if name == "client":
        target = "≤ 150 ms: " + ("met" if r["median_ms"] <= 150 else "MISSED")
    print(f"| {text} | {r['median_ms']:.0f} | {r['p90_ms']:.0f} | {r['min_ms']:.0f} / {r['max_ms']:.0f}"
          f" | {r['cpu_median_ms']:.0f} | {target} |")
c, h = rows["client"], rows["hello"]
print()
print(f"jfind-client over the hello-world JVM (both with their archive): +{c['median_ms'] - h['median_ms']:.0f} ms"
      f" median wall, +{c['cpu_median_ms'] - h['cpu_median_ms']:.0f} ms median CPU.")
PY
)
echo "$table"
elapsed=$(( $(date +%s) - started ))
if [ "$docs" = 1 ]; then
    section=$(cat <<TXT
<!-- BEGIN bench/client-startup.sh -->
## Client start-up: jfind-client end to end (\`bench/client-startup.sh\`)

- Command: \`bench/client-startup.sh\` (from the repository root) on jfind \`$(cd "$repo" && git describe --always --dirty)\`; $runs runs of each command in turns after 3 warm-ups; the run took ${elapsed} s.
$(run_context) Load average before the timed runs: $load_before.
- JDK: $(java -version 2>&1 | head -1). Launcher JVM flags: \`$jvm_flags\`$( [ -n "$fixed" ] && echo ", with the archive \`$fixed\`").
- Tree: \`bench/gentree.py --files $files --seed 42\`; jfindd with \`--no-watch\`, serving on a Unix socket.

$table

How to read it: wall time is the whole command, process start to exit, output to /dev/null;
CPU time is user + system of the process tree, which load from other processes changes
little, so it is the steadier figure on a shared machine. The commands run in turns so that
load from elsewhere hits all alike; still, on a busy machine the wall times spread (compare
the median with p90 and max before believing a small difference).
<!-- END bench/client-startup.sh -->
TXT
)
    doc="$repo/docs/benchmarks.md"
    echo "$section" | python3 "$repo/bench/docsection.py" "$doc" bench/client-startup.sh
    say "wrote $doc"
fi
