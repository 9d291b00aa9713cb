#!/usr/bin/env bash
# Re-crawl benchmark: how cheap is a crawl of a tree that has not changed, or has changed a
# little, beside updatedb.plocate re-running on its own database. One command; prints a
# table and replaces its section of docs/benchmarks.md.
set -euo pipefail

usage() {
    cat <<'TXT'
Usage: bench/recrawl.sh [options]

On the tree of bench/run.sh (generated if missing: 1,000,000 files by default), times:
  - jfindd's first (full) crawl, then two periodic re-crawls of the unchanged tree (the
    first runs while the JVM is still compiling that code), then its re-crawl after a file
    was added to 1% of the directories (live updates off, so the
    crawl itself finds the changes);
  - jfindd's catch-up crawl after a restart (live updates on: every directory is watched again);
  - updatedb.plocate from scratch, re-run on the unchanged tree, and re-run after 1% of
    the directories changed (it reuses its own database, as jfindd reuses its index).
The files added are removed at the end. Prints a table and replaces this benchmark's
section of docs/benchmarks.md.

Options:
  --files N    files in the tree (default 1000000; passed to bench/gentree.py)
  --work DIR   where bench/run.sh keeps its trees (default bench/work)
  --no-build   use the jars already built in this checkout
  --no-docs    print the table only
  -h, --help   this help
TXT
}

files=1000000 seed=42 build=1 docs=1
repo=$(cd "$(dirname "$0")/.." && pwd)
here="$repo/bench"
work="$here/work"
while [ $# -gt 0 ]; do
    case "$1" in
        --files) files=$2; shift 2 ;;
        --work) work=$2; shift 2 ;;
        --no-build) build=0; shift ;;
        --no-docs) docs=0; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "bench/recrawl.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done
. "$repo/bench/lib.sh"
started=$(date +%s)
command -v updatedb.plocate >/dev/null || { apt-get update -qq && apt-get install -y -qq plocate >/dev/null; }
build_unless_told_not_to
root=$(generated_tree "$work" "$files" "$seed")
run="$work/recrawl"
rm -rf "$run"
mkdir -p "$run"
jfindd="$repo/deploy/bin/jfindd" client="$repo/deploy/bin/jfind-client"
sock=$(mktemp -u /tmp/jfind-recrawl.XXXXXX.sock)
pid=""
touched="$run/touched.txt"
cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
    rm -f "$sock"
    if [ -f "$touched" ]; then xargs -d '\n' rm -f <"$touched"; fi
}
trap cleanup EXIT

status() { "$client" --socket "$sock" status --json 2>/dev/null || true; }
json() { python3 -c 'import json,sys; v=json.loads(sys.stdin.read().strip() or "{}").get(sys.argv[1]); print("" if v is None else v)' "$1"; }
# Waits until a crawl ends after the one that ended at $1; prints its duration.
next_crawl() {
    local before=$1
    for _ in $(seq 6000); do
        local s end
        s=$(status)
        end=$(echo "$s" | json last_crawl_end)
        if [ -n "$end" ] && [ "$end" != "$before" ] && [ "$(echo "$s" | json crawl_running)" = "False" ]; then
            echo "$end $(echo "$s" | json last_crawl_seconds)"
            return
        fi
        sleep 0.2
    done
    say "no crawl finished in 20 minutes"; exit 1
}
touch_one_percent() { # adds a file to every 100th directory
    find "$root" -type d | awk 'NR % 100 == 0' | while read -r d; do f="$d/.recrawl-$1"; : >"$f"; echo "$f"; done >>"$touched"
}

say "jfindd, live updates off, re-crawl every 20 s"
"$jfindd" --root "$root" --state-dir "$run/state" --socket "$sock" --no-watch --rescan-interval 20s 2>"$run/jfindd.log" &
pid=$!
read -r end full < <(next_crawl "")
read -r end unchanged < <(next_crawl "$end")
read -r end unchanged_warm < <(next_crawl "$end")
touch_one_percent a
read -r end changed < <(next_crawl "$end")
kill "$pid"; wait "$pid" 2>/dev/null || true
say "jfindd restarted with live updates: the catch-up crawl"
"$jfindd" --root "$root" --state-dir "$run/state" --socket "$sock" 2>>"$run/jfindd.log" &
pid=$!
read -r end restart < <(next_crawl "$end")
kill "$pid"; wait "$pid" 2>/dev/null || true
pid=""

say "updatedb.plocate: scratch, unchanged, 1% changed"
db="$run/plocate.db"
upd() { local t0 t1; t0=$(date +%s.%N); updatedb.plocate -U "$root" -o "$db" --require-visibility no --prune-bind-mounts no \
    --prunepaths '' --prunenames '' --prunefs ''; t1=$(date +%s.%N)
    python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.2f}')" "$t0" "$t1"; }
p_full=$(upd); p_unchanged=$(upd); touch_one_percent b; p_changed=$(upd)

ratio() { python3 -c "import sys; a,b=float(sys.argv[1]),float(sys.argv[2]); print(f'{a/b:.2f}×' if b else '–')" "$1" "$2"; }
pct() { python3 -c "import sys; print(f'{100*float(sys.argv[1])/float(sys.argv[2]):.0f}%')" "$1" "$2"; }
table=$(cat <<TXT
| crawl | jfind, s | updatedb.plocate, s | ratio | share of jfind's full crawl | target |
|---|---|---|---|---|---|
| full (empty index / no database) | $full | $p_full | $(ratio "$full" "$p_full") | 100% | – |
| re-crawl, unchanged tree (the daemon's first, JIT still cold) | $unchanged | $p_unchanged | $(ratio "$unchanged" "$p_unchanged") | $(pct "$unchanged" "$full") | ≤ 1× updatedb, ≤ 10% |
| re-crawl, unchanged tree (the next one) | $unchanged_warm | $p_unchanged | $(ratio "$unchanged_warm" "$p_unchanged") | $(pct "$unchanged_warm" "$full") | ≤ 1× updatedb, ≤ 10% |
| re-crawl, 1% of directories changed | $changed | $p_changed | $(ratio "$changed" "$p_changed") | $(pct "$changed" "$full") | ≤ 1× updatedb, ≤ 10% |
| catch-up after a restart (watching every directory again) | $restart | – | – | $(pct "$restart" "$full") | – |
TXT
)
echo "$table"
elapsed=$(( $(date +%s) - started ))
if [ "$docs" = 1 ]; then
    section=$(cat <<TXT
<!-- BEGIN bench/recrawl.sh -->
## Re-crawls (\`bench/recrawl.sh\`)

- Command: \`bench/recrawl.sh\` (from the repository root) on jfind \`$(cd "$repo" && git describe --always --dirty)\`; the run took ${elapsed} s.
$(run_context)
- JDK: $(java -version 2>&1 | head -1); $(updatedb.plocate --version 2>&1 | head -1). Tree: $(find "$root" | wc -l) paths in $(find "$root" -type d | wc -l) directories (bench/gentree.py, $files files), warm page cache.

$table

How to read it: jfind's figures are the daemon's own \`last_crawl_seconds\` (a periodic crawl
with live updates off, so it has to find the changes itself); "1% changed" added an empty file
to every 100th directory. updatedb.plocate runs with every prune option emptied and reuses its
own database on re-runs. The catch-up crawl after a restart also registers an inotify watch
for every directory, which the periodic crawls of a running daemon do not repeat.
<!-- END bench/recrawl.sh -->
TXT
)
    echo "$section" | python3 "$repo/bench/docsection.py" "$repo/docs/benchmarks.md" bench/recrawl.sh
    say "wrote docs/benchmarks.md"
fi
