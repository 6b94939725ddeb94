#!/usr/bin/env bash
# chaos.sh [chaos flags]: starts a cluster (up.sh: 3 Galera nodes, 3 realty
# servers, HAProxy) in a temporary directory, runs scripts/cluster/chaos
# against it (60 s of mixed load from 16 clients through the load balancer;
# SIGKILL of node 2 at 15 s and of server 3 at 25 s, both restarted at 40 s;
# then the checks) and tears the cluster down. Exits 1 if a check fails.
# The sign-up and log-in limits are off (the load registers its users from
# one address); the write limit is on but far from reached, so that its
# shared buckets are exercised. About 2 minutes, loopback only, as root.
set -euo pipefail
cd "$(dirname "$0")/../.."
dir=$(mktemp -d /tmp/realty-chaos.XXXXXX)
trap 'KEEP=${KEEP:-0} scripts/cluster/down.sh "$dir" || true' EXIT
REALTY_SERVE_FLAGS="--signup-limit 0 --login-limit 0 --login-limit-email 0 --login-limit-address 0 --write-limit 100000" \
  scripts/cluster/up.sh "$dir" > /dev/null
go run ./scripts/cluster/chaos -dir "$dir" -scripts scripts/cluster "$@"
