#!/usr/bin/env bash
# Start-up under a terminal: 'realty version' and 'realty property list' run
# piped and under a pseudo-terminal that never answers queries (script(1)),
# side by side with hyperfine (apt-get install hyperfine). Both must take
# the same time: no command but 'realty tui' may query the terminal (with
# bubbletea v1 each one waited 5 s for an answer); script(1)'s own cost is
# measured alone as the floor of the pty runs. A measurement for the notes,
# not a pass/fail test.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/realty" ./cmd/realty
export REALTY_CONFIG_DIR=$work/config HOME=$work/home
db=sqlite:$work/demo.db
"$work/realty" demo --db "$db" > /dev/null
list="$work/realty property list --city lyon --db $db"
hyperfine -N --warmup 3 --runs "${RUNS:-30}" \
  -n "script alone (floor of the pty runs)" "script -qec true /dev/null" \
  -n "version, piped" "$work/realty version" \
  -n "version, pty" "script -qec '$work/realty version' /dev/null" \
  -n "property list, piped" "$list" \
  -n "property list, pty" "script -qec '$list' /dev/null"
