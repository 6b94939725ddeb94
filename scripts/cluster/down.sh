#!/usr/bin/env bash
# down.sh DIR: stops everything up.sh started under DIR (HAProxy, the realty
# servers, the database nodes), by the PIDs it recorded, and removes DIR.
# KEEP=1 keeps DIR (the logs) after stopping.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
[ $# = 1 ] || die "usage: down.sh DIR"
DIR=$(cd "$1" && pwd)
[ -f "$DIR/cluster.env" ] || [ -d "$DIR/node1" ] || die "$DIR is not a cluster directory"
stop_pid "$DIR/haproxy.pid"
for f in "$DIR"/server*.pid; do [ -e "$f" ] && stop_pid "$f"; done
for n in 3 2 1; do stop_pid "$DIR/node$n/pid"; done
left=$(pgrep -f -- "$DIR/" || true)
[ -z "$left" ] || die "still running under $DIR: $left"
if [ "${KEEP:-0}" = 1 ]; then
  rm -f "$DIR/cluster.env"
  log "stopped; logs kept in $DIR"
else
  rm -rf "$DIR"
  log "stopped and removed $DIR"
fi
