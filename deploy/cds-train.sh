#!/usr/bin/env bash
# Makes jfind-client's class-data-sharing archive (next to its jar) from a representative
# training run: a small daemon on a scratch tree, and the client's common paths against it
# (plain and case-folded searches, counts, status and its JSON, JSON and long output, sorting,
# globs, regexes, structured queries). Run by the build (dist/, at package) and by install.sh;
# never by a user's command, so --help can't shape the archive every search then uses.
#
# Usage: deploy/cds-train.sh BINDIR
#   BINDIR  the directory of the jfindd and jfind-client launchers to train (deploy/bin, or
#           an install's PREFIX/bin): the archive is made for exactly the jars they run
set -euo pipefail
[ $# -eq 1 ] || { sed -n '2,/^set /p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }
bin=$(cd "$1" && pwd)
work=$(mktemp -d)
daemon=""
cleanup() {
    local rc=$?
    if [ -n "$daemon" ]; then
        kill "$daemon" 2>/dev/null
        wait "$daemon" 2>/dev/null || true
    fi
    rm -rf "$work"
    exit "$rc"
}
trap cleanup EXIT
# The training never touches the user's home: its own HOME and XDG directories.
export HOME="$work/home" XDG_CACHE_HOME="$work/home/.cache" XDG_CONFIG_HOME="$work/home/.config" \
    XDG_STATE_HOME="$work/home/.local/state" JFIND_SOCKET="$work/jfind.sock"
unset XDG_RUNTIME_DIR JFIND_CLIENT_JAVA_OPTS

tree="$work/tree"
for d in Documents/2024 src/main/java logs Pictures; do
    mkdir -p "$tree/$d"
    for i in $(seq 20); do
        printf 'x%.0s' $(seq "$i") >"$tree/$d/report-$i.pdf"
        : >"$tree/$d/notes $i.txt"
        : >"$tree/$d/IMG_$i.JPG"
    done
done
"$bin/jfindd" --root "$tree" --state-dir "$work/state" --socket "$JFIND_SOCKET" --no-watch \
    >"$work/jfindd.log" 2>&1 &
daemon=$!
for _ in $(seq 600); do
    JFIND_CDS=off "$bin/jfind-client" status --json 2>/dev/null | grep -q '"state":"ready"' && break
    kill -0 "$daemon" 2>/dev/null || { cat "$work/jfindd.log" >&2; exit 2; }
    sleep 0.1
done

n=0
train() {
    n=$((n + 1))
    # exit 1 (no match) is fine; 2 is not
    JFIND_CDS="list:$work/classes-$n.lst" "$bin/jfind-client" "$@" >/dev/null || [ $? -eq 1 ] \
        || { echo "cds-train.sh: jfind-client $* failed" >&2; exit 2; }
}
train report
train -i -l 5 REPORT
train -c notes
train -0 -b 'IMG_*.JPG'
train status
train status --json
train --json report-1
train --sort size --reverse -l 10 -q type:f --long
train -r '/report-[0-9]+\.pdf$'
train -q 'ext:pdf AND size:>10 AND mtime:<1d'
train --any .orig .txt
train no-such-name

# every class any run loaded, once, in the order first seen
awk '!seen[$0]++' "$work"/classes-*.lst >"$work/classes.lst"
JFIND_CDS="dump:$work/classes.lst" "$bin/jfind-client" >"$work/dump.log" 2>&1 \
    || { cat "$work/dump.log" >&2; exit 2; }
echo "cds-train.sh: made the client's class archive from $n training runs ($(wc -l <"$work/classes.lst") classes)"
