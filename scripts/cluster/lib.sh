# Shared by the cluster scripts: sourced, not run.

log() { echo "cluster: $*" >&2; }
die() { log "$*"; exit 1; }

# need installs Debian packages whose command is missing (as root, with apt).
need() { # need COMMAND PACKAGE...
  local cmd=$1; shift
  command -v "$cmd" >/dev/null 2>&1 && return 0
  log "installing $* (for $cmd)"
  { apt-get install -y --no-install-recommends "$@" >/dev/null 2>&1 ||
    { apt-get update >/dev/null 2>&1 && apt-get install -y --no-install-recommends "$@" >/dev/null 2>&1; }; } ||
    die "could not install $*"
  command -v "$cmd" >/dev/null 2>&1 || die "$cmd is still missing after installing $*"
}

# load reads DIR/cluster.env (written by up.sh) into the shell.
load() { # load DIR
  [ -f "$1/cluster.env" ] || die "$1 is not a cluster directory (no cluster.env): start one with up.sh"
  # shellcheck disable=SC1091
  . "$1/cluster.env"
}

# sql runs SQL on node N through its socket, as root.
sql() { # sql N SQL
  mariadb --no-defaults --socket="$DIR/node$1/mysqld.sock" -uroot -N -B -e "$2"
}

# wait_synced waits until node N is a synced member of the primary component.
wait_synced() { # wait_synced N [SECONDS]
  local n=$1 limit=${2:-120} state=""
  for _ in $(seq 1 $((limit * 5))); do
    state=$(sql "$n" "SHOW STATUS LIKE 'wsrep_local_state_comment'" 2>/dev/null | cut -f2) || state=""
    [ "$state" = Synced ] && return 0
    if ! pid_alive "$(cat "$DIR/node$n/pid" 2>/dev/null)"; then
      tail -20 "$DIR/node$n/error.log" >&2 || true
      die "node $n exited; its log is $DIR/node$n/error.log"
    fi
    sleep 0.2
  done
  tail -20 "$DIR/node$n/error.log" >&2 || true
  die "node $n is not Synced after ${limit}s (state: ${state:-down}); its log is $DIR/node$n/error.log"
}

pid_alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; }

# wait_ready waits until a realty server's /readyz answers 200.
wait_ready() { # wait_ready URL [SECONDS]
  local url=$1 limit=${2:-60}
  for _ in $(seq 1 $((limit * 10))); do
    curl -fsS -o /dev/null --max-time 1 "$url/readyz" 2>/dev/null && return 0
    sleep 0.1
  done
  die "$url/readyz did not answer 200 within ${limit}s"
}

# recovered_position prints the last transaction of node N after a crash
# (UUID:SEQNO, from InnoDB: mariadbd --wsrep-recover), or nothing when it
# was stopped cleanly or never started. What galera_recovery does for the
# packaged service: with it the node rejoins by IST, the writes it missed
# from the others' cache, instead of a full SST that blocks its donor.
recovered_position() { # recovered_position N
  local n=$1 log="$DIR/node$1/recover.log"
  grep -q '^seqno: *-1' "$DIR/node$n/data/grastate.dat" 2>/dev/null || return 0
  : > "$log" && chown mysql:mysql "$log"
  /usr/sbin/mariadbd --defaults-file="$DIR/node$n/my.cnf" --wsrep-recover --log-error="$log" >/dev/null 2>&1 || true
  sed -n 's/.*WSREP: Recovered position: *//p' "$log" | tail -1
}

# start_node starts node N's mariadbd in the background (BOOTSTRAP=1: as
# the first node of a new cluster) and records its PID.
start_node() { # start_node N
  local n=$1 pos
  local args=(--defaults-file="$DIR/node$n/my.cnf")
  [ "${BOOTSTRAP:-0}" = 1 ] && args+=(--wsrep-new-cluster)
  pos=$(recovered_position "$n")
  [ -n "$pos" ] && args+=(--wsrep_start_position="$pos") && log "node $n: recovered position $pos"
  touch "$DIR/node$n/error.log" && chown mysql:mysql "$DIR/node$n/error.log"
  setsid /usr/sbin/mariadbd "${args[@]}" >>"$DIR/node$n/error.log" 2>&1 < /dev/null &
  echo $! > "$DIR/node$n/pid"
}

# start_server starts realty server N against its node (SERVERn_DB, from
# cluster.env) and records its PID.
start_server() { # start_server N
  local n=$1 port_var="SERVER${1}_PORT" db_var="SERVER${1}_DB"
  # shellcheck disable=SC2086
  setsid "$DIR/realty" serve --db "${!db_var}" --addr "127.0.0.1:${!port_var}" --trust-proxy \
    ${REALTY_SERVE_FLAGS:-} >>"$DIR/server$n.log" 2>&1 < /dev/null &
  echo $! > "$DIR/server$n.pid"
}

# stop_pid sends TERM (or the given signal) to a PID file's process and
# waits for it to go.
stop_pid() { # stop_pid FILE [SIGNAL]
  local file=$1 sig=${2:-TERM} pid
  pid=$(cat "$file" 2>/dev/null) || return 0
  pid_alive "$pid" || { rm -f "$file"; return 0; }
  kill -s "$sig" "$pid" 2>/dev/null || true
  for _ in $(seq 1 300); do pid_alive "$pid" || break; sleep 0.1; done
  pid_alive "$pid" && kill -s KILL "$pid" 2>/dev/null
  rm -f "$file"
}
