#!/usr/bin/env bash
# Reliability benchmark: kill -9 trials, hostile trees, load with a 256 MB heap. One command;
# prints a table (trials, failures, paths lost, peak memory) and replaces its section of
# docs/benchmarks.md.
set -euo pipefail

usage() {
    cat <<'TXT'
Usage: bench/reliability.sh [options]

Runs the daemon (deploy/bin/jfindd, from this checkout) through:
  crash    kill -9 at a random moment, alternately during the first crawl of a generated
           tree and during a burst of live updates (new files, a directory renamed, one
           replaced by a file, an old one deleted); after each kill a restart must answer a
           search within 15 s and converge to find(1) (sorted paths compared) within the
           deadline, without its index being moved aside;
  hostile  one tree with a 200,000-entry directory, a 2,000-deep chain (past PATH_MAX),
           every byte value in names, a FIFO, a socket, a device node and a bind-mount loop
           (the last two as root): indexed as find lists it, less what lies below a
           directory past PATH_MAX (counted as unreadable);
  load     -Xmx256m daemon; 32 clients each streaming 200,000 results again and again, 8
           readers that stop reading mid-stream, a selective search every 10 ms, while a
           50,000-file burst is applied: no OutOfMemoryError, no failed stream, selective
           p99 <= 50 ms, heap after GC with the stalled readers close to idle.

Options:
  --quick          small sizes, 6 trials (a few minutes; for development)
  --trials N       kill -9 trials (default 24)
  --parts LIST     comma-separated: crash,hostile,load (default all)
  --work DIR       scratch directory (default bench/work/reliability)
  --no-build       use the jars already built in this checkout
  --no-docs        print the table only
  -h, --help       this help
TXT
}

repo=$(cd "$(dirname "$0")/.." && pwd)
work="$repo/bench/work/reliability"
build=1 docs=1 quick=0 parts=crash,hostile,load trials=24
while [ $# -gt 0 ]; do
    case "$1" in
        --quick) quick=1; shift ;;
        --trials) trials=$2; shift 2 ;;
        --parts) parts=$2; shift 2 ;;
        --work) work=$2; shift 2 ;;
        --no-build) build=0; shift ;;
        --no-docs) docs=0; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "bench/reliability.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done

. "$repo/bench/lib.sh"
started=$(date +%s)
build_unless_told_not_to
sizes=()
if [ "$quick" = 1 ]; then
    [ "$trials" = 24 ] && trials=6
    sizes=(--files 20000 --burst-files 5000 --big-dir 20000 --load-files 30000 --results 20000 --clients 8
           --stalled 4 --load-burst 5000)
fi
mkdir -p "$work"
results="$work/results.jsonl"
# reliability.py kills every daemon it started, whatever happens
python3 "$repo/bench/reliability.py" --work "$work" --parts "$parts" --trials "$trials" "${sizes[@]}" | tee "$results"

table=$(python3 - "$results" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
print("| part | trials | failures | paths lost | stale paths | peak memory (RSS) | figures |")
print("|---|---|---|---|---|---|---|")
for r in rows:
    if r["part"] == "crash":
        kinds = {}
        for d in r["details"]:
            kinds[d["kind"]] = kinds.get(d["kind"], 0) + 1
        note = ("kill -9 during the first crawl ×%d, during a live burst ×%d; first crawl of %s s;"
                " restart answered a search within %s s, converged to find within %s s"
                % (kinds.get("first-crawl", 0), kinds.get("live-burst", 0), r["first_crawl_s"],
                   r["max_answer_s"], r["max_converge_s"]))
        print("| kill -9 | %d | %d | %d | %d | %s MiB | %s |" % (r["trials"], r["failures"], r["lost"], r["stale"],
                                                                 r["peak_mib"], note))
    elif r["part"] == "hostile":
        note = ("%d paths; ready after %s s; %d paths below a directory past PATH_MAX, %s directory counted"
                " unreadable; bind-mount loop %s" % (r["paths"], r["ready_s"], r["beyond_path_max"],
                                                     r["unreadable_reported"], "yes" if r["bind_loop"] else "skipped (not root)"))
        print("| hostile tree | 1 | %d | %d | %d | %s MiB | %s |" % (r["failures"], r["lost"], r["stale"], r["peak_mib"], note))
    elif r["part"] == "load":
        note = ("-Xmx256m, %d paths; %d clients: %d streams, %s paths streamed in %s s, %d short, errors %s;"
                " selective p50 / p99 / max %s / %s / %s ms (%d queries); burst of %d visible after %s s;"
                " heap after GC idle %s MiB, with %d stalled readers %s MiB; OutOfMemoryError: %s"
                % (r["paths"], r["clients"], r["streams"], format(r["paths_streamed"], ","), r["seconds"],
                   r["short_streams"], r["errors"] or "none", r["selective_p50_ms"], r["selective_p99_ms"],
                   r["selective_max_ms"], r["selective_queries"], r["burst"], r["burst_visible_s"],
                   r["heap_after_gc_idle_mib"], r["stalled"], r["heap_after_gc_stalled_mib"],
                   "yes" if r["oom"] else "no"))
        print("| load | 1 | %d | – | – | %s MiB | %s |" % (r["failures"], r["peak_mib"], note))
PY
)
echo "$table"
elapsed=$(( $(date +%s) - started ))
if [ "$docs" = 1 ]; then
    args=""
    [ "$quick" = 1 ] && args=" --quick"
    section=$(cat <<TXT
<!-- BEGIN bench/reliability.sh -->
## Reliability: kill -9, hostile trees, load (\`bench/reliability.sh\`)

- Command: \`bench/reliability.sh${args}\` (from the repository root) on jfind \`$(cd "$repo" && git describe --always --dirty)\`; the run took ${elapsed} s.
$(run_context)
- JDK: $(java -version 2>&1 | head -1).

$table

How to read it: a failure is a trial whose restart did not answer a search within 15 s of its
exec (JVM start included), did not converge to find(1) within the deadline (180 s), or moved
its index aside; *paths lost* are paths
find lists that the daemon still did not serve at the deadline, *stale paths* the reverse.
Peak memory is the daemon's largest VmHWM over the part. The load part fails if any stream
fails or ends short, the selective p99 exceeds 50 ms, or the daemon runs out of memory.
<!-- END bench/reliability.sh -->
TXT
)
    doc="$repo/docs/benchmarks.md"
    echo "$section" | python3 "$repo/bench/docsection.py" "$doc" bench/reliability.sh
    say "wrote $doc"
fi
