#!/usr/bin/env bash
# Bulk speed of realty, for the notes (not a test): with N properties
# (default 1 000 000, ~4 rooms each, words and history events written),
#   1. realty demo --properties N into a fresh database,
#   2. realty property export of all of them (NDJSON and CSV),
#   3. realty property import of the NDJSON export into another fresh
#      database, then its export, compared with the first but for ids;
# each timed, with its peak RSS (GNU time).
#
#   scripts/bulk.sh [N]                       # SQLite files in a temporary directory
#   REALTY_BENCH_MYSQL_URL=mysql://root@127.0.0.1:3306/ scripts/bulk.sh [N]
#                                             # MySQL: two databases created and dropped
#
# Everything it starts and writes is its own: a temporary directory (and,
# on MySQL, databases named realty_bulk_PID_*), removed at the end.
set -euo pipefail

n=${1:-1000000}
mysql_url=${REALTY_BENCH_MYSQL_URL:-}
dir=$(mktemp -d)
cleanup() {
	if [[ -n $mysql_url ]]; then
		for name in first second; do
			mysql_exec "DROP DATABASE IF EXISTS \`realty_bulk_$$_$name\`" || true
		done
	fi
	rm -rf "$dir"
}
trap cleanup EXIT

# mysql_exec runs a statement with the mysql client, on the URL's host,
# port and user.
mysql_exec() {
	local rest=${mysql_url#mysql://} userpass host port
	userpass=${rest%%@*}
	rest=${rest#*@}
	host=${rest%%/*}
	port=${host##*:}
	host=${host%%:*}
	local user=${userpass%%:*} pass=""
	[[ $userpass == *:* ]] && pass=${userpass#*:}
	mysql -h "$host" -P "$port" -u "$user" ${pass:+"-p$pass"} -e "$1"
}

go build -o "$dir/realty" ./cmd/realty
export HOME=$dir XDG_CONFIG_HOME=$dir/config XDG_DATA_HOME=$dir/data
PATH=$dir:$PATH

database() { # a fresh database URL named $1
	if [[ -n $mysql_url ]]; then
		local db="realty_bulk_$$_$1" # dropped by cleanup
		mysql_exec "CREATE DATABASE \`$db\`"
		echo "${mysql_url%/}/$db"
	else
		echo "sqlite:$dir/$1.db"
	fi
}

# timed LABEL COMMAND...: runs it, prints its time, rate and peak RSS.
# Each step starts with the page cache's dirty pages on disk: a step that
# follows one which wrote gigabytes otherwise pays for their writeback
# (the same import took 58 s alone, 74 s right after a demo and exports).
timed() {
	local label=$1
	shift
	sync
	/usr/bin/time -f "%e %M" -o "$dir/time" "$@" >"$dir/out" 2>"$dir/err" || {
		cat "$dir/err" >&2
		exit 1
	}
	read -r secs kib <"$dir/time"
	printf '%-32s %8.1f s  %9.0f properties/s  peak RSS %6.0f MiB\n' "$label" "$secs" \
		"$(echo "$n / $secs" | bc -l)" "$(echo "$kib / 1024" | bc -l)"
}

first=$(database first)
second=$(database second)
echo "realty bulk: $n properties on $([[ -n $mysql_url ]] && echo "MySQL ($mysql_url)" || echo SQLite), $(nproc) cores"

timed "demo --properties $n" realty demo --properties "$n" --db "$first"
export REALTY_DB=$first
timed "export (ndjson)" realty property export -o "$dir/first.ndjson"
timed "export (csv)" realty property export -o "$dir/first.csv"
ls -l "$dir/first.ndjson" "$dir/first.csv" | awk '{printf "  %s: %.0f MiB\n", $NF, $5 / 1048576}'

export REALTY_DB=$second
echo "bulk-password-1" | realty user register --email bulk@example.com --first-name Bulk --last-name Bench \
	--password-stdin 2>/dev/null
echo "bulk-password-1" | realty auth login --email bulk@example.com --password-stdin 2>/dev/null
timed "import (ndjson)" realty property import "$dir/first.ndjson"
timed "export of the import (ndjson)" realty property export -o "$dir/second.ndjson"

strip() { sed -E 's/^\{"id":[0-9]+,/{/' "$1"; }
if cmp -s <(strip "$dir/first.ndjson") <(strip "$dir/second.ndjson"); then
	echo "round trip: the export of the import is the first export, ids aside"
else
	echo "round trip: the exports differ beyond their ids" >&2
	exit 1
fi
