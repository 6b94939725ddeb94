#!/usr/bin/env bash
# Load test of GET /v1/properties?city=... with N properties (default 100 000):
#   scripts/loadtest/run.sh sqlite            # a fresh SQLite file
#   scripts/loadtest/run.sh mysql://root@127.0.0.1:3306/realty_load
# Seeds the database (once: reruns reuse it), starts realty serve on a free
# local port, and runs hey (apt-get install hey) for DURATION with
# CONCURRENCY clients. A measurement for planning, not a pass/fail test.
set -euo pipefail
cd "$(dirname "$0")/../.."

target=${1:-sqlite}
N=${N:-100000}
DURATION=${DURATION:-20s}
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
if [ ! -f "$work/seeded-$(echo "$db" | md5sum | cut -c1-8)-$N" ]; then
  go run ./scripts/loadtest/seed -db "$db" -n "$N"
  touch "$work/seeded-$(echo "$db" | md5sum | cut -c1-8)-$N"
fi

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$work/realty" serve --addr "127.0.0.1:$port" --db "$db" 2> "$work/serve.log" &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null' EXIT
until grep -q '"msg":"listening"' "$work/serve.log"; do
  kill -0 $server || { cat "$work/serve.log"; exit 1; }
  sleep 0.2
done

url="http://127.0.0.1:$port/v1/properties?city=lyon"
echo "# $(curl -s "$url" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(len(d["items"]), "items per page, next_cursor", "set" if d["next_cursor"] else "null")')"
echo "# hey -z $DURATION -c $CONCURRENCY '$url'  ($N properties, $db)"
hey -z "$DURATION" -c "$CONCURRENCY" "$url"
