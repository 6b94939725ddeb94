#!/usr/bin/env bash
# Abuse measurements of realty serve (issue 7), on loopback, bounded in time:
#   scripts/loadtest/abuse.sh signup            # 64 sign-up flooders, 15 s, one address
#   scripts/loadtest/abuse.sh signup -spoof     # the same from random addresses (--trust-proxy)
#   scripts/loadtest/abuse.sh import            # 3 maximal batch imports vs single creates
# Extra arguments go to scripts/loadtest/abuse (see its -help). Prints the
# numbers for the notes; it is not a pass/fail test.
set -euo pipefail
cd "$(dirname "$0")/../.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/realty" ./cmd/realty
scenario=${1:-signup}
shift || true
go run ./scripts/loadtest/abuse -realty "$work/realty" -scenario "$scenario" "$@"
