#!/usr/bin/env bash
# Load tests of the hot paths with N properties (default 100 000):
#   scripts/loadtest/run.sh sqlite [list get create]   # a fresh SQLite file
#   scripts/loadtest/run.sh mysql://root@127.0.0.1:3306/realty_load get
# Seeds the database (once: reruns reuse it), starts realty serve on a free
# local port (sign-up and write limits off, --trust-proxy for the load's
# log-ins), and runs scripts/loadtest/load for each scenario (default: all
# three) for DURATION with CONCURRENCY connections, then stops the server.
# Against a server already running anywhere, run the load tool itself:
#   go run ./scripts/loadtest/load -url URL -scenario list|get|create
# A measurement for planning, not a pass/fail test.
set -euo pipefail
cd "$(dirname "$0")/../.."

target=${1:-sqlite}
shift || true
scenarios=("$@")
[ ${#scenarios[@]} -gt 0 ] || scenarios=(list get create)
N=${N:-100000}
DURATION=${DURATION:-10s}
CONCURRENCY=${CONCURRENCY:-32}
work=${WORK:-/tmp/realty-load}
mkdir -p "$work"

if [ "$target" = sqlite ]; then
  db="sqlite:$work/load.db"
else
  db="$target"
  name=${db##*/}
  mysql -h 127.0.0.1 -u root -e "CREATE DATABASE IF NOT EXISTS \`$name\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"
fi

go build -o "$work/realty" ./cmd/realty
go build -o "$work/load" ./scripts/loadtest/load
if [ ! -f "$work/seeded-$(echo "$db" | md5sum | cut -c1-8)-$N" ]; then
  go run ./scripts/loadtest/seed -db "$db" -n "$N"
  touch "$work/seeded-$(echo "$db" | md5sum | cut -c1-8)-$N"
fi

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$work/realty" serve --addr "127.0.0.1:$port" --db "$db" --signup-limit 0 --write-limit 0 --trust-proxy \
  2> "$work/serve.log" &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null' EXIT
until grep -q '"msg":"listening"' "$work/serve.log"; do
  kill -0 $server || { cat "$work/serve.log"; exit 1; }
  sleep 0.2
done

for scenario in "${scenarios[@]}"; do
  "$work/load" -url "http://127.0.0.1:$port" -scenario "$scenario" -c "$CONCURRENCY" -d "$DURATION"
done
