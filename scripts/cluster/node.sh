#!/usr/bin/env bash
# node.sh DIR start|stop|kill N: stops (TERM), kills (KILL) or starts database
# node N of the cluster under DIR. A node that starts again rejoins the
# others by incremental (IST) or full (SST) state transfer; start returns
# once it is Synced.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
[ $# = 3 ] || die "usage: node.sh DIR start|stop|kill N"
DIR=$(cd "$1" && pwd)
load "$DIR"
n=$3
[ -f "$DIR/node$n/my.cnf" ] || die "no node $n under $DIR"
case $2 in
  stop) stop_pid "$DIR/node$n/pid" ;;
  kill) stop_pid "$DIR/node$n/pid" KILL ;;
  start)
    pid_alive "$(cat "$DIR/node$n/pid" 2>/dev/null)" && die "node $n is running"
    start_node "$n"
    wait_synced "$n"
    log "node $n is Synced again (PID $(cat "$DIR/node$n/pid"))"
    echo "NODE${n}_PID=$(cat "$DIR/node$n/pid")"
    ;;
  *) die "usage: node.sh DIR start|stop|kill N" ;;
esac
