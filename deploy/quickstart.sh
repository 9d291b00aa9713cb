#!/usr/bin/env bash
# Builds jfind, starts jfindd on your home directory unless one already runs, waits for it,
# shows its status and runs a query. Usage: deploy/quickstart.sh [PATTERN]
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
echo "building (mvn -B -q -DskipTests package) ..."
mvn -B -q -DskipTests package
client="$top/deploy/bin/jfind-client"
state="${XDG_STATE_HOME:-$HOME/.local/state}/jfind"
if ! "$client" status >/dev/null 2>&1; then
    mkdir -p "$state"
    nohup "$top/deploy/bin/jfindd" >>"$state/jfindd.log" 2>&1 &
    echo $! >"$state/jfindd.pid"
    echo "started jfindd (pid $!) on $HOME; its log: $state/jfindd.log"
    for _ in $(seq 200); do
        "$client" status >/dev/null 2>&1 && break
        sleep 0.1
    done
fi
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
pattern="${1:-.bashrc}"
echo
echo "\$ jfind-client -l 20 $pattern"
"$client" -l 20 "$pattern" || echo "(no match yet: the first crawl may still be running; try again in a moment)"
echo
echo "Stop the daemon with: kill \$(cat $state/jfindd.pid)"
