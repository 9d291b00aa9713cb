#!/usr/bin/env bash
# Builds jfind, starts jfindd on your home directory unless one already runs, waits until it
# can answer, shows its status and runs a search.
#
# Usage: deploy/quickstart.sh [--no-build] [JFIND-CLIENT ARGUMENTS...]
#   --no-build   use the jars already built (deploy/bin/ runs them)
#   arguments    what to search for, as jfind-client takes them (default: .bashrc)
# Exit status: 0 the search found something, 1 it found nothing, 2 an error.
# JFIND_QUICKSTART_WAIT: how many seconds to wait for a first answer (default 120).
set -euo pipefail

usage() { sed -n '2,/^set /p' "$0" | sed '$d; s/^# \{0,1\}//'; exit "${1:-2}"; }
build=yes
case "${1:-}" in
    -h|--help) usage 0 ;;
    --no-build) build=no; shift ;;
esac
[ $# -gt 0 ] || set -- .bashrc

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
client="$top/deploy/bin/jfind-client"
state="${XDG_STATE_HOME:-$HOME/.local/state}/jfind"
wait_seconds=${JFIND_QUICKSTART_WAIT:-120}

# No escape codes unless stdout is a terminal (Maven writes some even in batch mode).
if [ -t 1 ]; then
    plain() { cat; }
    progress() { printf '\r%s\033[K' "$1"; }
    progress_end() { printf '\n'; }
else
    plain() { sed 's/\x1b\[[0-9;]*[A-Za-z]//g'; }
    last_progress=-5
    progress() { [ $((SECONDS - last_progress)) -ge 5 ] && printf '%s\n' "$1" && last_progress=$SECONDS; return 0; }
    progress_end() { :; }
fi

# Reads key $1 (a string or a number) from the one-line JSON of `jfind-client status --json`.
json_value() { sed -n "s/.*\"$1\":\"\\{0,1\\}\\([^\",}]*\\).*/\\1/p" <<<"$2"; }

# --- build ---------------------------------------------------------------------------------
if [ "$build" = yes ]; then
    echo "building (mvn -B -q -DskipTests package) ..."
    mvn -B -q -Dstyle.color=never -DskipTests package 2>&1 | plain
fi

# --- the daemon ----------------------------------------------------------------------------
if ! "$client" status >/dev/null 2>&1; then
    mkdir -p "$state"
    nohup "$top/deploy/bin/jfindd" >>"$state/jfindd.log" 2>&1 &
    echo $! >"$state/jfindd.pid"
    echo "started jfindd (pid $!) on $HOME; its log: $state/jfindd.log"
    for _ in $(seq 300); do
        "$client" status >/dev/null 2>&1 && break
        kill -0 "$(cat "$state/jfindd.pid")" 2>/dev/null || break
        sleep 0.1
    done
    if ! "$client" status >/dev/null 2>&1; then
        echo "quickstart: jfindd did not start; the end of its log ($state/jfindd.log):" >&2
        tail -n 20 "$state/jfindd.log" >&2
        exit 2
    fi
fi

# --- a first answer ------------------------------------------------------------------------
# A new daemon serves its index at once, but the index is empty until the first crawl has
# committed (every 5 s, and at its end): wait for the crawl to end, or for the search to
# find something, whichever comes first, for at most JFIND_QUICKSTART_WAIT seconds.
deadline=$((SECONDS + wait_seconds))
waited=no
while :; do
    json=$("$client" status --json 2>/dev/null) || json=""
    [ "$(json_value state "$json")" = ready ] && break
    "$client" -c "$@" >/dev/null 2>&1 && break
    if [ "$SECONDS" -ge "$deadline" ]; then
        progress_end
        echo "quickstart: the first crawl is still running after ${wait_seconds} s; searching what is indexed so far"
        break
    fi
    waited=yes
    progress "first crawl of $HOME: $(json_value crawl_entries "$json") entries so far, $((deadline - SECONDS)) s left to wait"
    sleep 1
done
[ "$waited" = yes ] && progress_end

"$client" status

# inotify watch budget: say plainly when jfindd watches only part of the tree (kept separate)
watch_json=$("$client" status --json 2>/dev/null || true)
if grep -Eq '"unwatched_directories":[1-9]' <<<"$watch_json"; then
    every=$(grep -Eo '"unwatched_rescan_seconds":[0-9]+' <<<"$watch_json" | cut -d: -f2 || true)
    echo
    echo "note: jfindd reached its inotify watch budget (by default half of the watches free for you at"
    echo "      its start, so other programs such as tail -f keep theirs). Directories past it stay current"
    echo "      by being listed again every ${every:-900} s; the watches go to those changed most recently."
    echo "      To watch more: sudo sysctl fs.inotify.max_user_watches=1048576 (for good: copy"
    echo "      $top/deploy/sysctl/60-jfind-inotify.conf to /etc/sysctl.d/, run sudo sysctl --system),"
    echo "      then restart jfindd; or start it with --watch-limit N."
fi

# --- the search ----------------------------------------------------------------------------
echo
echo "\$ jfind-client -l 20 $*"
err=$(mktemp)
trap 'rm -f "$err"' EXIT
set +e
"$client" -l 20 "$@" 2>"$err"
code=$?
set -e
case "$code" in
    0) cat "$err" >&2 ;;
    1) echo "(no path matches: jfind-client exits 1 when nothing matches)" ;;
    *) echo "quickstart: the search failed (jfind-client exit $code):" >&2
       cat "$err" >&2 ;;
esac

echo
echo "Stop the daemon with: kill \$(cat $state/jfindd.pid)"
exit "$code"
