#!/usr/bin/env bash
# Removes what deploy/install.sh installed, as listed in PREFIX/lib/jfind/install-manifest:
# its files, then the directories it made once they are empty. Keeps the configuration
# (/etc/jfind) and the index (/var/lib/jfind) unless --purge, which also removes the system
# user jfind. Runs from a checkout (deploy/uninstall.sh) or as installed
# (PREFIX/lib/jfind/uninstall.sh).
#
# Usage: uninstall.sh [--prefix DIR] [--root DIR] [--purge]
#   --prefix DIR  what install.sh was given (default /usr)
#   --root DIR    the staging directory install.sh was given
#   --purge       also remove the configuration, the index and the user
set -euo pipefail

usage() { sed -n '2,/^set /p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit "${1:-2}"; }
prefix=/usr
root=""
purge=no
while [ $# -gt 0 ]; do
    case "$1" in
        --prefix) [ $# -ge 2 ] || usage; prefix=$2; shift 2 ;;
        --root) [ $# -ge 2 ] || usage; root=$(realpath -m "$2"); shift 2 ;;
        --purge) purge=yes; shift ;;
        -h|--help) usage 0 ;;
        *) echo "uninstall.sh: unknown argument '$1'" >&2; usage ;;
    esac
done
prefix=$(realpath -m "$prefix")
[ "$root" = / ] && root=""
if [ -z "$root" ] && [ "$(id -u)" != 0 ]; then
    echo "uninstall.sh: uninstalling for real needs root" >&2
    exit 2
fi

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=deploy/layout.sh
. "$here/layout.sh"
layout "$prefix"
manifest="$root$libdir/install-manifest"
if [ -f "$manifest" ]; then
    listed=$(cat "$manifest")
elif [ "$purge" = yes ]; then
    listed="" # uninstalled before, configuration kept: purge only that
else
    echo "uninstall.sh: no jfind installed at prefix $prefix${root:+ in $root} ($manifest is missing)" >&2
    exit 1
fi

if [ -z "$root" ] && [ -d /run/systemd/system ]; then
    systemctl disable --now jfindd.service 2>/dev/null || true
fi

dirs=()
while read -r kind path; do
    case "$kind" in
        f) rm -f "$root$path" ;;
        d) dirs+=("$path") ;;
    esac # c: the configuration, kept unless --purge (below)
done <<<"$listed"
rm -f "$manifest"
if [ "$purge" = yes ]; then
    rm -rf "$root$statedir" "$root$confdir"
fi
# Deepest first; a directory that still holds something (the kept configuration, another
# program's files) stays.
for (( i=${#dirs[@]}-1; i>=0; i-- )); do
    rmdir "$root${dirs[i]}" 2>/dev/null || true
done

if [ -z "$root" ]; then
    if [ "$purge" = yes ] && getent passwd jfind >/dev/null; then
        userdel jfind && echo "uninstall.sh: removed the system user jfind"
    fi
    [ -d /run/systemd/system ] && systemctl daemon-reload
fi
echo "uninstall.sh: removed jfind from prefix $prefix${root:+ in $root}"
if [ "$purge" = no ]; then
    # The installed uninstall.sh has just removed itself, so "run it again with --purge" would
    # not work: give the commands that do what --purge would have done.
    purge_cmd="rm -rf $(printf '%q %q' "$root$confdir" "$root$statedir")"
    [ -z "$root" ] && getent passwd jfind >/dev/null && purge_cmd="$purge_cmd; userdel jfind"
    echo "uninstall.sh: kept the configuration $confdir and the index $statedir; to remove them too (as root): $purge_cmd"
fi
