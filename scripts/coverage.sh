#!/usr/bin/env bash
# Per-package coverage of the whole suite, the end-to-end scripts included:
# every test binary and the realty binary that cmd/realty's tests build (with
# -cover under 'go test -cover') write their counters to one directory,
# which 'go tool covdata' merges. Set REALTY_TEST_MYSQL_URL for the MySQL
# tests. Prints one line a package, then the total.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
go test -count=1 -cover -coverpkg=github.com/realtyhq/realty/... ./... -args -test.gocoverdir="$dir" >/dev/null
go tool covdata percent -i="$dir" | sed 's/^[[:space:]]*//' | sort
go tool covdata textfmt -i="$dir" -o "$dir/profile.out"
go tool cover -func="$dir/profile.out" | tail -1
