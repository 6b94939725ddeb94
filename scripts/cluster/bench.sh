#!/usr/bin/env bash
# bench.sh: throughput of creates and of a city's list, in the same run,
#   - through the load balancer of a cluster (up.sh: 3 Galera nodes, 3
#     servers, HAProxy),
#   - on one of its servers, directly,
#   - on a server of node 1 without wsrep_sync_wait (its cost),
#   - on one server on one MariaDB (the one on 3306, a new database),
# with scripts/loadtest/load (CONCURRENCY connections, DURATION each; limits
# off). A measurement for the notes, not a test. As root; loopback only;
# stops what it started.
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${DURATION:-10s}
CONCURRENCY=${CONCURRENCY:-32}
flags="--signup-limit 0 --login-limit 0 --login-limit-email 0 --login-limit-address 0 --write-limit 0"
dir=$(mktemp -d /tmp/realty-bench.XXXXXX)
pids=()
single_db=realty_bench_$$
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  scripts/cluster/down.sh "$dir" >/dev/null 2>&1 || true
  mariadb --no-defaults -h 127.0.0.1 -P 3306 -u root -e "DROP DATABASE IF EXISTS $single_db" 2>/dev/null || true
}
trap cleanup EXIT
REALTY_SERVE_FLAGS=$flags scripts/cluster/up.sh "$dir" > /dev/null
. "$dir/cluster.env"
go build -o "$dir/load" ./scripts/loadtest/load

serve() { # serve DB PORT: a server with the limits off, its PID in pids
  # shellcheck disable=SC2086
  setsid "$dir/realty" serve --db "$1" --addr "127.0.0.1:$2" --trust-proxy $flags >>"$dir/bench-server-$2.log" 2>&1 < /dev/null &
  pids+=($!)
  for _ in $(seq 1 100); do curl -fsS -o /dev/null "http://127.0.0.1:$2/readyz" 2>/dev/null && return; sleep 0.1; done
  echo "bench: the server on port $2 did not start" >&2; exit 1
}
port=$(( ${LB##*:} + 1 ))
serve "$NODE1?wsrep_sync_wait=0" "$port"
nosync="http://127.0.0.1:$port"
mariadb --no-defaults -h 127.0.0.1 -P 3306 -u root -e "CREATE DATABASE $single_db CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"
serve "mysql://root@127.0.0.1:3306/$single_db" $((port + 1))
single="http://127.0.0.1:$((port + 1))"

load() { # load SCENARIO URL: one line of results
  "$dir/load" -url "$2" -scenario "$1" -c "$CONCURRENCY" -d "$DURATION" -warmup 2s -users 8 2>/dev/null |
    grep -E '^(requests|latency|status|errors)' | tr -s ' ' | paste -sd ';' || true
}
for target in "load balancer (3 servers, 3 nodes)=$LB" "server 1 alone, node 1=$SERVER1" \
  "node 1 without wsrep_sync_wait=$nosync" "one server, one MariaDB=$single"; do
  name=${target%%=*} url=${target#*=}
  echo "== $name"
  echo "create: $(load create "$url")"
  echo "list:   $(load list "$url")"
done
