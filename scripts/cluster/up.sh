#!/usr/bin/env bash
# up.sh [DIR]: a 3-node MariaDB Galera cluster on loopback, N realty servers
# (SERVERS, default 3, server i on node ((i-1) % 3) + 1) and HAProxy in front
# of them, health-checked on /readyz. Everything lives under DIR (a new
# temporary directory by default): data, sockets, logs, PID files.
#
# stdout gets exactly the KEY=VALUE lines below (also kept in DIR/cluster.env,
# which down.sh, node.sh and server.sh read); progress goes to stderr.
#   LB=http://127.0.0.1:PORT        the load balancer: point the CLI here
#   NODE1=mysql://... NODE1_PID=...  each database node
#   SERVER1=http://... SERVER1_PID=...
#   DIR=...
# REALTY_SERVE_FLAGS adds flags to every 'realty serve' (the chaos test
# lifts the sign-up limit with it). Never touches the MariaDB on 3306.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$here/lib.sh"

[ "$(id -u)" = 0 ] || die "run as root: the database nodes run as the mysql user"
need mariadbd mariadb-server
need rsync rsync
need haproxy haproxy
need curl curl
[ -f /usr/lib/galera/libgalera_smm.so ] || { need galera_recovery galera-4; }
[ -f /usr/lib/galera/libgalera_smm.so ] || die "galera-4 is installed but /usr/lib/galera/libgalera_smm.so is missing"
id mysql >/dev/null 2>&1 || die "no mysql user (it comes with mariadb-server)"

DIR=${1:-$(mktemp -d /tmp/realty-cluster.XXXXXX)}
mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)
[ -e "$DIR/cluster.env" ] && die "$DIR already holds a cluster: tear it down with down.sh $DIR first"
SERVERS=${SERVERS:-3}
# The nodes run as mysql, and so does rsync's SST daemon: every directory
# above the data must let it through.
chmod 755 "$DIR"

# Ports: one block of free loopback ports, 4 per node (client, Galera,
# IST, SST), one per server, one for HAProxy, below the ephemeral range:
# a port of that range can be taken at any time by an outgoing connection
# (the nodes' own, to each other), and rsync's SST daemon then cannot
# listen on it.
free_block() {
  local n=$1 base p ok
  local low=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range)
  [ "$low" -gt 10100 ] || die "the ephemeral port range starts at $low: no room below it"
  for _ in $(seq 1 100); do
    base=$(shuf -i 10000-$((low - n - 1)) -n 1)
    ok=1
    for p in $(seq "$base" $((base + n - 1))); do
      if ss -Hltn "sport = :$p" | grep -q .; then ok=0; break; fi
    done
    [ $ok = 1 ] && { echo "$base"; return 0; }
  done
  die "no block of $n free ports"
}
base=$(free_block $((12 + SERVERS + 1)))
port() { echo $((base + $1)); }
# Failure detection tuned for loopback, where a peer that misses 1.5 s of
# keep-alives is gone: by default Galera waits 5 s (suspect) to 15 s
# (inactive), and the other nodes hold their commits meanwhile.
evs="evs.keepalive_period=PT0.3S;evs.inactive_check_period=PT0.5S;evs.suspect_timeout=PT1.5S"
evs+=";evs.inactive_timeout=PT3S;evs.install_timeout=PT1.5S"
gcomm=""
for n in 1 2 3; do
  gcomm+="${gcomm:+,}127.0.0.1:$(port $((4 * n - 3)))"
done

log "building realty"
(cd "$root" && CGO_ENABLED=0 go build -o "$DIR/realty" ./cmd/realty)

env="$DIR/cluster.env"
: > "$env"
emit() { echo "$1=$2" | tee -a "$env"; }
emit DIR "$DIR"

for n in 1 2 3; do
  d="$DIR/node$n"
  mkdir -p "$d/data"
  cat > "$d/my.cnf" <<CNF
[mysqld]
user = mysql
datadir = $d/data
socket = $d/mysqld.sock
pid-file = $d/mysqld.pid
log-error = $d/error.log
bind-address = 127.0.0.1
port = $(port $((4 * n - 4)))
skip-name-resolve
max_connections = 400
innodb_buffer_pool_size = 96M
innodb_log_file_size = 48M
binlog_format = ROW
default_storage_engine = InnoDB
innodb_autoinc_lock_mode = 2
wsrep_on = ON
wsrep_provider = /usr/lib/galera/libgalera_smm.so
wsrep_cluster_name = realty
wsrep_cluster_address = gcomm://$gcomm
wsrep_node_name = node$n
wsrep_node_address = 127.0.0.1
wsrep_provider_options = "gmcast.listen_addr=tcp://127.0.0.1:$(port $((4 * n - 3)));ist.recv_addr=127.0.0.1:$(port $((4 * n - 2)));gcache.size=128M;$evs"
wsrep_sst_receive_address = 127.0.0.1:$(port $((4 * n - 1)))
wsrep_sst_method = rsync
CNF
done
chown -R mysql:mysql "$DIR"/node*

log "initializing node 1"
mariadb-install-db --defaults-file="$DIR/node1/my.cnf" --auth-root-authentication-method=socket \
  --skip-test-db >"$DIR/node1/install.log" 2>&1 || { cat "$DIR/node1/install.log" >&2; die "mariadb-install-db failed"; }

log "bootstrapping the cluster on node 1"
BOOTSTRAP=1 start_node 1
wait_synced 1
# One database and one user for the servers, without a password: the nodes
# listen on loopback only. The user replicates to the nodes that join.
sql 1 "CREATE DATABASE realty; CREATE USER 'realty'@'127.0.0.1'; GRANT ALL ON realty.* TO 'realty'@'127.0.0.1'"
for n in 2 3; do
  log "node $n joins (state transfer by rsync)"
  start_node "$n"
  wait_synced "$n"
done
size=$(sql 1 "SHOW STATUS LIKE 'wsrep_cluster_size'" | cut -f2)
[ "$size" = 3 ] || die "the cluster has $size nodes, not 3"
for n in 1 2 3; do
  emit "NODE$n" "mysql://realty@127.0.0.1:$(port $((4 * n - 4)))/realty"
  emit "NODE${n}_PID" "$(cat "$DIR/node$n/pid")"
done

# Every server starts at once on the empty database: the migrations must
# still be applied once (the lock is a row, cluster-wide).
. "$env"
for i in $(seq 1 "$SERVERS"); do
  nv="NODE$(( (i - 1) % 3 + 1 ))"
  { echo "SERVER${i}_PORT=$(port $((12 + i - 1)))"; echo "SERVER${i}_DB=${!nv}"; } >> "$env"
done
echo "SERVERS=$SERVERS" >> "$env"
# server.sh restarts a server with the same flags: servers that share their
# rate-limit buckets must agree on the limits (a server restarted with the
# default 120 writes a minute would charge each write 0.5 s of a bucket
# that the others charge 0.6 ms, and soon refuse everybody's writes).
printf 'REALTY_SERVE_FLAGS=%q\n' "${REALTY_SERVE_FLAGS:-}" >> "$env"
. "$env"
for i in $(seq 1 "$SERVERS"); do
  start_server "$i"
done
for i in $(seq 1 "$SERVERS"); do
  url="http://127.0.0.1:$(port $((12 + i - 1)))"
  wait_ready "$url"
  emit "SERVER$i" "$url"
  emit "SERVER${i}_PID" "$(cat "$DIR/server$i.pid")"
done
applied=$(sql 1 "SELECT COUNT(*), COUNT(DISTINCT version) FROM realty.schema_migrations")
log "schema: $(echo "$applied" | cut -f1) migration rows, $(echo "$applied" | cut -f2) versions (each applied once)"

lb=$(port $((12 + SERVERS)))
{
  cat <<CFG
global
  maxconn 4000

defaults
  mode http
  log stdout format raw local0
  option httplog
  timeout connect 2s
  timeout client 60s
  timeout server 30s
  # A request that could not reach a server goes to another (nothing was
  # sent, so even a POST is safe to send again); a GET also when its server
  # answered 503 (its node is down) or nothing at all.
  retries 3
  option redispatch 1
  retry-on conn-failure empty-response 503
  # A server that died in the middle of a request: the client is told to
  # retry (503 with Retry-After), as by a server that is not ready.
  errorfile 502 $DIR/haproxy-503.http
  errorfile 504 $DIR/haproxy-503.http

frontend realty
  bind 127.0.0.1:$lb
  option forwardfor
  default_backend servers

backend servers
  balance roundrobin
  # A write is never sent twice: its server may have applied it before it
  # died. Its client then sees the connection closed (HAProxy passes on the
  # server's close, as RFC 9112 section 9.3.1 has clients handle it): the
  # outcome is unknown, and only the client can find out (If-Match, a read).
  http-request disable-l7-retry if !{ method GET HEAD }
  option httpchk
  http-check send meth GET uri /readyz
  http-check expect status 200
  default-server inter 500ms fall 2 rise 2
CFG
  for i in $(seq 1 "$SERVERS"); do
    pv="SERVER${i}_PORT"
    echo "  server s$i 127.0.0.1:${!pv} check"
  done
} > "$DIR/haproxy.cfg"
printf 'HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/problem+json\r\nRetry-After: 1\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n{"type":"about:blank","title":"Service Unavailable","status":503,"detail":"the server handling this request stopped; retry"}\n' > "$DIR/haproxy-503.http"
haproxy -c -f "$DIR/haproxy.cfg" >/dev/null || die "haproxy rejects $DIR/haproxy.cfg"
setsid haproxy -db -f "$DIR/haproxy.cfg" >>"$DIR/haproxy.log" 2>&1 < /dev/null &
echo $! > "$DIR/haproxy.pid"
wait_ready "http://127.0.0.1:$lb"
emit LB "http://127.0.0.1:$lb"
log "up: $SERVERS servers on 3 Galera nodes behind $(grep ^LB= "$env" | cut -d= -f2); tear down with: $here/down.sh $DIR"
