#!/usr/bin/env bash
# sentinel.sh - a replicated Redis watched by Redis Sentinel, on loopback TCP,
# for the tests (and to try the portal's Sentinel settings by hand).
#
#   sentinel.sh start --dir DIR --ports A,B,S1,S2,S3 [--name NAME]
#       redis-a (primary, port A), redis-b (its replica, port B) and three
#       Sentinels (S1..S3; quorum 2, down after 1 s); AOF with appendfsync
#       always; ACL users with the default user off.  Waits until the replica
#       is in sync and every Sentinel sees the others.  Writes DIR/portal.env:
#       the PORTAL_REDIS_* settings of a portal that uses it.
#   sentinel.sh stop --dir DIR                 stops everything it started
#   sentinel.sh stop-node NAME --dir DIR       SIGTERM one (redis-a, redis-b, sentinel-1..3)
#   sentinel.sh start-node NAME --dir DIR      start it again; a Redis node that is not the
#                                              primary the Sentinels name comes back as its replica
#   sentinel.sh primary --dir DIR              the primary the Sentinels name: host:port
#   sentinel.sh cli NAME --dir DIR ARGS...     redis-cli as the admin user on a node
#
# Everything lives in DIR (config, data, logs in DIR/logs, pids in DIR/pids).
# Only loopback is used.  Only the processes this script started are
# stopped, by the PIDs it recorded.
set -euo pipefail

usage() { sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

cmd=${1:-}; [ -n "$cmd" ] || usage; shift
node=""
case "$cmd" in stop-node|start-node|cli) node=${1:-}; [ -n "$node" ] || usage; shift;; esac
DIR=""; PORTS=""; NAME=portal
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) [ $# -ge 2 ] || usage; DIR=$2; shift 2;;
    --ports) [ $# -ge 2 ] || usage; PORTS=$2; shift 2;;
    --name) [ $# -ge 2 ] || usage; NAME=$2; shift 2;;
    --) shift; break;;
    *) [ "$cmd" = cli ] && break; usage;;
  esac
done
[ -n "$DIR" ] || usage
mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)
PIDS="$DIR/pids"; LOGS="$DIR/logs"; SECRETS="$DIR/secrets"
NODES=(redis-a redis-b)
SENTINELS=(sentinel-1 sentinel-2 sentinel-3)

log() { printf 'sentinel.sh: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

# ---- process bookkeeping: alive, launch, stop_one, wait_for -------------------
# shellcheck source=procs.sh
. "$(dirname "${BASH_SOURCE[0]}")/procs.sh"

# ---- ports and secrets -------------------------------------------------------------
port_of() { # port_of NAME: from DIR/ports (written by start)
  sed -n "s/^$1=//p" "$DIR/ports"
}

secret() { cat "$SECRETS/$1.password"; }

make_secret() {
  [ -s "$SECRETS/$1.password" ] && return 0
  (umask 077; head -c 24 /dev/urandom | base64 | tr -d '\n/+=' > "$SECRETS/$1.password")
}

# redis-cli as a user: the password goes through the environment, not argv
cli_as() { # cli_as USER PORT ARGS...
  local user=$1 port=$2; shift 2
  if [ "$user" = sentinel-client ]; then
    REDISCLI_AUTH=$(secret sentinel-client) redis-cli --no-auth-warning -h 127.0.0.1 -p "$port" "$@"
  else
    REDISCLI_AUTH=$(secret "$user") redis-cli --no-auth-warning --user "$user" -h 127.0.0.1 -p "$port" "$@"
  fi
}

# ---- configuration -------------------------------------------------------------------
write_acl() {
  # the same users on every node: any of them may become the primary.  The
  # portal's user is the one of deploy/redis/users.acl: its keys only, no
  # @dangerous command (so no ROLE: the portal falls back to HELLO) but
  # BGREWRITEAOF, which the beds module sends after erasing case references.
  (umask 077; cat > "$DIR/users.acl" <<ACL
user default off resetpass nocommands resetkeys resetchannels
user portal on >$(secret portal) ~portal:* resetchannels +@all -@dangerous +sort +bgrewriteaof -script|flush -script|kill -function
user replication on >$(secret replication) resetkeys resetchannels -@all +psync +replconf +ping
user sentinel on >$(secret sentinel) resetkeys resetchannels &__sentinel__:hello -@all +multi +exec +slaveof +ping +subscribe +publish +config|rewrite +role +info +client|setname +client|kill +script|kill
user admin on >$(secret admin) ~* &* +@all
ACL
)
}

write_node_conf() { # write_node_conf NAME PORT
  local name=$1 port=$2 d="$DIR/$1"
  mkdir -p "$d"
  (umask 077; cat > "$d/redis.conf" <<CONF
port $port
bind 127.0.0.1
protected-mode yes
dir $d
appendonly yes
appendfsync always
save ""
daemonize no
loglevel notice
aclfile $DIR/users.acl
masteruser replication
masterauth $(secret replication)
repl-diskless-sync-delay 0
CONF
)
}

write_sentinel_conf() { # write_sentinel_conf NAME PORT PRIMARY_PORT
  local name=$1 port=$2 primary=$3 d="$DIR/$1"
  mkdir -p "$d"
  # Sentinel rewrites this file as it learns; it is written once per folder
  (umask 077; cat > "$d/sentinel.conf" <<CONF
port $port
bind 127.0.0.1
daemonize no
dir $d
loglevel notice
requirepass $(secret sentinel-client)
sentinel sentinel-pass $(secret sentinel-client)
sentinel monitor $NAME 127.0.0.1 $primary 2
sentinel auth-user $NAME sentinel
sentinel auth-pass $NAME $(secret sentinel)
sentinel down-after-milliseconds $NAME 2000
sentinel failover-timeout $NAME 4000
sentinel parallel-syncs $NAME 1
CONF
)
}

# ---- checks ---------------------------------------------------------------------------
node_pong() { [ "$(cli_as admin "$(port_of "$1")" ping 2>/dev/null)" = PONG ]; }
replica_in_sync() { cli_as admin "$(port_of "$1")" info replication 2>/dev/null | grep -q '^master_link_status:up'; }
# a Sentinel that knows the primary, its replica and the two other Sentinels
sentinel_ready() {
  local p; p=$(port_of "$1")
  [ "$(cli_as sentinel-client "$p" sentinel master "$NAME" 2>/dev/null | sed -n '/^num-other-sentinels$/{n;p}')" = 2 ] &&
  [ "$(cli_as sentinel-client "$p" sentinel master "$NAME" 2>/dev/null | sed -n '/^num-slaves$/{n;p}')" -ge 1 ]
}

# host:port of the primary, as the first Sentinel that answers says
primary_addr() {
  local s out
  for s in "${SENTINELS[@]}"; do
    out=$(cli_as sentinel-client "$(port_of "$s")" sentinel get-master-addr-by-name "$NAME" 2>/dev/null | paste -sd: -) || continue
    [ -n "$out" ] && { printf '%s\n' "$out"; return 0; }
  done
  return 1
}

start_node() { # start_node NAME [--replicaof HOST PORT]
  local name=$1; shift
  launch "$name" redis-server "$DIR/$name/redis.conf" "$@"
  wait_for 30 "$name" node_pong "$name"
}

start_sentinel() {
  launch "$1" redis-server "$DIR/$1/sentinel.conf" --sentinel
}

start_all() {
  [ -n "$PORTS" ] || usage
  IFS=, read -r pa pb s1 s2 s3 extra <<<"$PORTS"
  [ -n "${s3:-}" ] && [ -z "${extra:-}" ] || die "--ports needs five ports: A,B,S1,S2,S3"
  mkdir -p "$PIDS" "$LOGS" "$SECRETS"
  chmod 700 "$SECRETS"
  printf 'redis-a=%s\nredis-b=%s\nsentinel-1=%s\nsentinel-2=%s\nsentinel-3=%s\n' \
    "$pa" "$pb" "$s1" "$s2" "$s3" > "$DIR/ports"
  local u
  for u in portal replication sentinel admin sentinel-client; do make_secret "$u"; done
  write_acl
  write_node_conf redis-a "$pa"
  write_node_conf redis-b "$pb"
  printf 'replicaof 127.0.0.1 %s\n' "$pa" >> "$DIR/redis-b/redis.conf"
  write_sentinel_conf sentinel-1 "$s1" "$pa"
  write_sentinel_conf sentinel-2 "$s2" "$pa"
  write_sentinel_conf sentinel-3 "$s3" "$pa"
  start_node redis-a
  start_node redis-b
  wait_for 30 "redis-b in sync with redis-a" replica_in_sync redis-b
  local s
  for s in "${SENTINELS[@]}"; do start_sentinel "$s"; done
  for s in "${SENTINELS[@]}"; do wait_for 30 "$s to see the primary, the replica and the other Sentinels" sentinel_ready "$s"; done
  cat > "$DIR/portal.env" <<ENV
PORTAL_REDIS_SENTINELS=127.0.0.1:$s1,127.0.0.1:$s2,127.0.0.1:$s3
PORTAL_REDIS_MASTER_NAME=$NAME
PORTAL_REDIS_USER=portal
PORTAL_REDIS_PASSWORD_FILE=$SECRETS/portal.password
PORTAL_REDIS_SENTINEL_PASSWORD_FILE=$SECRETS/sentinel-client.password
ENV
}

stop_all() {
  local s
  for s in "${SENTINELS[@]}"; do stop_one "$s"; done
  for s in "${NODES[@]}"; do stop_one "$s"; done
}

known() { case " ${NODES[*]} ${SENTINELS[*]} " in *" $1 "*) return 0;; esac; die "no node named $1"; }

case "$cmd" in
  start)
    trap 'stop_all' ERR
    start_all
    trap - ERR
    ;;
  stop) stop_all ;;
  stop-node) known "$node"; stop_one "$node" ;;
  start-node)
    known "$node"
    mkdir -p "$PIDS" "$LOGS"
    case "$node" in
      sentinel-*) start_sentinel "$node" ;;
      *)
        # back as the replica of the primary the Sentinels name now, unless
        # it is that primary (a restart before any failover)
        addr=$(primary_addr) || die "no Sentinel names a primary"
        if [ "${addr##*:}" = "$(port_of "$node")" ]; then start_node "$node"
        else start_node "$node" --replicaof "${addr%%:*}" "${addr##*:}"; fi
        ;;
    esac
    ;;
  primary) primary_addr ;;
  cli) known "$node"; cli_as admin "$(port_of "$node")" "$@" ;;
  *) usage ;;
esac
