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
pattern="${1:-.bashrc}"
echo
echo "\$ jfind-client -l 20 $pattern"
"$client" -l 20 "$pattern" || echo "(no match yet: the first crawl may still be running; try again in a moment)"
echo
echo "Stop the daemon with: kill \$(cat $state/jfindd.pid)"
