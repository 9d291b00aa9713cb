#!/usr/bin/env bash
# Live-update benchmark: how soon a change is visible to searches, and how a burst is
# absorbed. One command; prints a table and replaces its section of docs/benchmarks.md.
set -euo pipefail

usage() {
    cat <<'TXT'
Usage: bench/live.sh [options]

Starts jfindd (from this checkout) on a scratch tree with live updates on, then, from one
warm JVM over gRPC (bench/LiveLatency.java):
  - creates N files one by one at about R per second and times, for each, the create(2)
    call to the moment a search finds it; then deletes them the same way;
  - creates a burst of B files as fast as it can (50 directories) and times until a count
    finds all of them.
Prints a table (median, p99, max) and replaces this benchmark's section of
docs/benchmarks.md.

Options:
  --count N    files created and deleted one by one (default 1000)
  --rate R     about R per second (default 100)
  --burst B    files in the burst (default 50000)
  --work DIR   scratch directory (default bench/work/live)
  --no-build   use the jars already built in this checkout
  --no-docs    print the table only
  -h, --help   this help
TXT
}

count=1000 rate=100 burst=50000 build=1 docs=1
repo=$(cd "$(dirname "$0")/.." && pwd)
work="$repo/bench/work/live"
while [ $# -gt 0 ]; do
    case "$1" in
        --count) count=$2; shift 2 ;;
        --rate) rate=$2; shift 2 ;;
        --burst) burst=$2; shift 2 ;;
        --work) work=$2; shift 2 ;;
        --no-build) build=0; shift ;;
        --no-docs) docs=0; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "bench/live.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done

. "$repo/bench/lib.sh"
started=$(date +%s)
build_unless_told_not_to
rm -rf "$work"
mkdir -p "$work/tree/seed"
for i in $(seq 1 100); do : > "$work/tree/seed/file-$i"; done
sock=$(mktemp -u /tmp/jfind-live.XXXXXX.sock)
"$repo/deploy/bin/jfindd" --root "$work/tree" --state-dir "$work/state" --socket "$sock" 2>"$work/jfindd.log" &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null || true; rm -f "$sock"' EXIT
for _ in $(seq 600); do
    if "$repo/deploy/bin/jfind-client" --socket "$sock" status --json 2>/dev/null | grep -q '"state":"ready"'; then
        break
    fi
    sleep 0.1
done
say "measuring: $count creates and deletes at ~$rate/s, then a burst of $burst"
out=$(java -cp "$repo/client/target/jfind-client.jar:$repo/client/target/lib/*" "$repo/bench/LiveLatency.java" \
    --socket "$sock" --dir "$work/tree/work" --count "$count" --rate "$rate" --burst "$burst")
echo "$out" >"$work/results.txt"
field() { echo "$out" | grep "$1" | tr ' ' '\n' | grep "^$2=" | cut -d= -f2; }
table=$(cat <<TXT
| metric | jfind | target |
|---|---|---|
| create → visible, median / p99 / max, ms ($count files, ~$rate/s) | $(field phase=create median_ms) / $(field phase=create p99_ms) / $(field phase=create max_ms) | median ≤ 200, p99 ≤ 1000 |
| delete → gone, median / p99 / max, ms | $(field phase=delete median_ms) / $(field phase=delete p99_ms) / $(field phase=delete max_ms) | median ≤ 200, p99 ≤ 1000 |
| burst of $(field burst_files burst_files) files: created in, s | $(field burst_files burst_create_s) | – |
| burst: all visible after, s (from the first create) | $(field burst_files burst_visible_s) | – |
| selective search, quiet index: median / p99, ms | $(field phase=query_quiet median_ms) / $(field phase=query_quiet p99_ms) | – |
| selective search during the burst: median / p99, ms | $(field phase=query_during_burst median_ms) / $(field phase=query_during_burst p99_ms) | stays fast |
TXT
)
echo "$table"
elapsed=$(( $(date +%s) - started ))
if [ "$docs" = 1 ]; then
    section=$(cat <<TXT
<!-- BEGIN bench/live.sh -->
## Live updates: change → visible (\`bench/live.sh\`)

- Command: \`bench/live.sh\` (from the repository root) on jfind \`$(cd "$repo" && git describe --always --dirty)\`; the run took ${elapsed} s.
$(run_context)
- JDK: $(java -version 2>&1 | head -1).

$table

How to read it: one warm JVM creates (then deletes) files one by one and, for each, searches
for its name every 2 ms from just before the system call until the answer changes; the burst
is timed from its first create to the first count that finds all of it. The daemon applies
events in batches (20 ms, or as long as the previous batch took).
<!-- END bench/live.sh -->
TXT
)
    doc="$repo/docs/benchmarks.md"
    echo "$section" | python3 "$repo/bench/docsection.py" "$doc" bench/live.sh
    say "wrote $doc"
fi
