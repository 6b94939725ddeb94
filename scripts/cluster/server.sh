#!/usr/bin/env bash
# server.sh DIR start|stop|kill N: stops (TERM: drains), kills (KILL) or
# starts realty server N of the cluster under DIR; start returns once its
# /readyz answers 200.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
[ $# = 3 ] || die "usage: server.sh DIR start|stop|kill N"
DIR=$(cd "$1" && pwd)
load "$DIR"
n=$3
port_var="SERVER${n}_PORT"
[ -n "${!port_var:-}" ] || die "no server $n under $DIR"
case $2 in
  stop) stop_pid "$DIR/server$n.pid" ;;
  kill) stop_pid "$DIR/server$n.pid" KILL ;;
  start)
    pid_alive "$(cat "$DIR/server$n.pid" 2>/dev/null)" && die "server $n is running"
    start_server "$n"
    wait_ready "http://127.0.0.1:${!port_var}"
    echo "SERVER${n}_PID=$(cat "$DIR/server$n.pid")"
    ;;
  *) die "usage: server.sh DIR start|stop|kill N" ;;
esac
