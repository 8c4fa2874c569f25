#!/usr/bin/env bash
# stack.sh - the whole portal on one machine: Redis, slapd, an SMTP server,
# the modules, portal-notify, nginx.
#
#   stack.sh run   --dir DIR [--port PORT] [--bin BUILD]   foreground; Ctrl-C stops all
#   stack.sh start --dir DIR [--port PORT] [--bin BUILD]   background; waits for health
#   stack.sh stop  --dir DIR                               stops what start/run began
#   stack.sh stop-service NAME --dir DIR                   stop one (redis, slapd, smtp, notify, auth, ...)
#   stack.sh start-service NAME --dir DIR                  start it again
#
# PORTAL_STACK_LDAP_TLS_PORT=N: slapd also listens on ldap://127.0.0.1:N with
# a certificate from a CA made for the run (DIR/ldap/tls/ca.pem), and the
# modules reach it there with StartTLS, checking the certificate.
#
# PORTAL_REDIS_SENTINELS set (with the other PORTAL_REDIS_* settings, e.g.
# from tests/stack/sentinel.sh's portal.env): no Redis of its own is started;
# the modules find the primary through those Sentinels.
#
# The SMTP server (python3-aiosmtpd) listens on 127.0.0.1, port
# PORTAL_STACK_SMTP_PORT or a free one (kept in DIR/smtp.port), and delivers
# every message into the Maildir DIR/mail; portal-notify sends there.
#
# Everything lives in DIR: data (kept between runs), sockets, logs, pids.
# Only loopback and unix sockets are used.  Only the processes this script
# started are stopped, by the PIDs it recorded in DIR/pids/.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
MODULES=(auth training beds directory cases monitoring)
SUFFIX="dc=portal,dc=example"

usage() { sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

cmd=${1:-}; [ -n "$cmd" ] || usage; shift
service=""
case "$cmd" in stop-service|start-service) service=${1:-}; [ -n "$service" ] || usage; shift;; esac
DIR=""; PORT=${PORT:-8080}; BIN="$ROOT/build"
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) DIR=$2; shift 2;;
    --port) PORT=$2; shift 2;;
    --bin) BIN=$2; shift 2;;
    *) usage;;
  esac
done
[ -n "$DIR" ] || usage
mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)
PIDS="$DIR/pids"; LOGS="$DIR/logs"; SOCK="$DIR/sock"

log() { printf '%s\n' "$*" >&2; }

# ---- process bookkeeping: alive, launch, stop_one, wait_for -------------------
# shellcheck source=procs.sh
. "$(dirname "${BASH_SOURCE[0]}")/procs.sh"

# ---- services -----------------------------------------------------------------
start_redis() {
  mkdir -p "$DIR/redis"
  cat > "$DIR/redis/redis.conf" <<CONF
port 0
unixsocket $SOCK/redis.sock
unixsocketperm 660
dir $DIR/redis
appendonly yes
appendfsync always
save ""
daemonize no
protected-mode yes
loglevel warning
CONF
  launch redis redis-server "$DIR/redis/redis.conf"
  # PONG, not just an answer: while Redis loads its AOF it answers LOADING
  wait_for 30 redis redis_ready
}

redis_ready() { [ "$(redis-cli -s "$SOCK/redis.sock" ping 2>/dev/null)" = PONG ]; }

ldap_url() { printf 'ldapi://%s' "$(printf '%s' "$SOCK/ldapi" | sed 's,/,%2F,g')"; }

start_slapd() {
  mkdir -p "$DIR/ldap/data"
  if [ ! -f "$DIR/ldap/admin.password" ]; then
    (umask 077; head -c 24 /dev/urandom | base64 | tr -d '\n' > "$DIR/ldap/admin.password")
  fi
  local hash; hash=$(slappasswd -T "$DIR/ldap/admin.password")
  cat > "$DIR/ldap/slapd.conf" <<CONF
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include /etc/ldap/schema/nis.schema
pidfile $DIR/ldap/slapd.pid
modulepath /usr/lib/ldap
moduleload back_mdb
database mdb
maxsize 104857600
suffix "$SUFFIX"
rootdn "cn=admin,$SUFFIX"
rootpw $hash
directory $DIR/ldap/data
index objectClass,uid,member eq
access to attrs=userPassword by self =xw by anonymous auth by * none
access to * by users read by * none
CONF
  local urls; urls="$(ldap_url)"
  if [ -n "${PORTAL_STACK_LDAP_TLS_PORT:-}" ]; then
    make_ldap_tls
    cat >> "$DIR/ldap/slapd.conf" <<CONF
TLSCACertificateFile $DIR/ldap/tls/ca.pem
TLSCertificateFile $DIR/ldap/tls/server.pem
TLSCertificateKeyFile $DIR/ldap/tls/server.key
CONF
    urls="$urls ldap://127.0.0.1:$PORTAL_STACK_LDAP_TLS_PORT/"
  fi
  if [ ! -f "$DIR/ldap/data/data.mdb" ]; then
    slapadd -f "$DIR/ldap/slapd.conf" -l "$ROOT/tests/stack/demo-directory.ldif" >>"$LOGS/slapd.log" 2>&1
  fi
  launch slapd slapd -d 0 -f "$DIR/ldap/slapd.conf" -h "$urls"
  wait_for 10 slapd ldapwhoami -x -H "$(ldap_url)" -D "cn=portal-service,ou=services,$SUFFIX" \
      -y "$DIR/secrets/ldap-service.password"
}

# A CA and a server certificate for 127.0.0.1, made once per run folder.
make_ldap_tls() {
  local t="$DIR/ldap/tls"
  [ -s "$t/server.pem" ] && return 0
  mkdir -p "$t"
  (umask 077
   openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=Portal test CA" \
     -keyout "$t/ca.key" -out "$t/ca.pem" 2>/dev/null
   openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" \
     -keyout "$t/server.key" -out "$t/server.csr" 2>/dev/null
   printf 'subjectAltName=IP:127.0.0.1\n' > "$t/san.ext"
   openssl x509 -req -in "$t/server.csr" -CA "$t/ca.pem" -CAkey "$t/ca.key" -CAcreateserial \
     -days 2 -extfile "$t/san.ext" -out "$t/server.pem" 2>/dev/null)
  chmod 644 "$t/ca.pem"
}

# The demo stack's secrets, made once and kept with its data.
make_secrets() {
  mkdir -p "$DIR/secrets"
  chmod 750 "$DIR/secrets"
  if [ ! -s "$DIR/secrets/jwt.key" ]; then
    (umask 077; head -c 48 /dev/urandom > "$DIR/secrets/jwt.key")
  fi
  # the demo directory's service password (refused by the production configuration)
  (umask 077; tr -d '\n' < "$ROOT/tests/stack/demo-service.password" > "$DIR/secrets/ldap-service.password")
}

# The demo stack's settings for every module and worker, into MODULE_ENV
# (an `env` command line, so that setsid can run it).
module_env() {
  local ldap=(PORTAL_LDAP_URI="$(ldap_url)")
  if [ -n "${PORTAL_STACK_LDAP_TLS_PORT:-}" ]; then
    ldap=(PORTAL_LDAP_URI="ldap://127.0.0.1:$PORTAL_STACK_LDAP_TLS_PORT/" PORTAL_LDAP_STARTTLS=1
          PORTAL_LDAP_CA_FILE="${PORTAL_LDAP_CA_FILE:-$DIR/ldap/tls/ca.pem}")
  fi
  MODULE_ENV=(env PORTAL_ENV=development PORTAL_DEMO=1
      PORTAL_REDIS_SOCKET="$SOCK/redis.sock"
      "${ldap[@]}"
      PORTAL_JWT_KEY_FILE="$DIR/secrets/jwt.key"
      PORTAL_LDAP_BIND_PASSWORD_FILE="$DIR/secrets/ldap-service.password"
      PORTAL_LOG_LEVEL="${PORTAL_LOG_LEVEL:-info}"
      PORTAL_SOCKET_GROUP="${PORTAL_SOCKET_GROUP:-}")
}

start_module() {
  local m=$1
  [ -x "$BIN/portal-$m" ] || return 0   # a module not built yet
  module_env
  # demo data first (kept when already there), then the module
  "${MODULE_ENV[@]}" "$BIN/portal-$m" --load-demo >>"$LOGS/$m.log" 2>&1 || {
    log "portal-$m could not load its demo data (see $LOGS/$m.log)"; return 1; }
  launch "$m" "${MODULE_ENV[@]}" "$BIN/portal-$m" --socket "$SOCK/$m.sock"
  wait_for 10 "portal-$m" test -S "$SOCK/$m.sock"
}

# A Python that has aiosmtpd (Debian's python3-aiosmtpd is for /usr/bin/python3).
smtp_python() {
  local p
  for p in /usr/bin/python3 python3; do
    "$p" -c 'import aiosmtpd' 2>/dev/null && { printf '%s' "$p"; return 0; }
  done
  return 1
}

smtp_port() {
  if [ ! -s "$DIR/smtp.port" ]; then
    if [ -n "${PORTAL_STACK_SMTP_PORT:-}" ]; then echo "$PORTAL_STACK_SMTP_PORT" > "$DIR/smtp.port"
    else "$(smtp_python)" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' > "$DIR/smtp.port"
    fi
  fi
  cat "$DIR/smtp.port"
}

smtp_ready() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start_smtp() {
  local py
  if ! py=$(smtp_python); then
    log "note: no SMTP server (install python3-aiosmtpd: tests/stack/deps.sh run): no mail is delivered"
    return 0
  fi
  mkdir -p "$DIR/mail/tmp" "$DIR/mail/new" "$DIR/mail/cur"
  local port; port=$(smtp_port)
  launch smtp "$py" -m aiosmtpd -n -l "127.0.0.1:$port" -c aiosmtpd.handlers.Mailbox "$DIR/mail"
  wait_for 10 smtp smtp_ready "$port"
}

start_notify() {
  [ -x "$BIN/portal-notify" ] || return 0
  [ -s "$DIR/smtp.port" ] || smtp_python >/dev/null || return 0
  module_env
  launch notify "${MODULE_ENV[@]}" PORTAL_SMTP_URL="smtp://127.0.0.1:$(smtp_port)" \
    PORTAL_MAIL_FROM="${PORTAL_MAIL_FROM:-London Anti-Slavery Partner Portal <portal@localhost>}" \
    PORTAL_PUBLIC_URL="${PORTAL_PUBLIC_URL:-http://127.0.0.1:$PORT}" \
    PORTAL_METRICS_SOCKET="$SOCK/notify.sock.metrics" "$BIN/portal-notify"
  wait_for 10 portal-notify grep -q '"msg":"started"' "$LOGS/notify.log"
}

start_nginx() {
  mkdir -p "$DIR/nginx/conf"
  local user_line=""
  # the assets nginx serves, copied beside the run's other files
  rm -rf "$DIR/static"
  cp -R "$ROOT/common/static/dist" "$DIR/static"
  cp -R "$ROOT/modules/monitoring/static" "$DIR/static/monitoring"
  # the API description the build made (served at /api/v1/openapi.json and /api/)
  if [ -d "$BIN/api" ]; then
    cp -R "$BIN/api" "$DIR/static/api"
  else
    log "note: no API description in $BIN/api (make all makes it): /api/ answers 404"
  fi
  if [ "$(id -u)" -eq 0 ]; then
    # nginx's workers run as nobody; the module sockets let its group in.
    # When nobody cannot reach the run folder (a checkout under /root, say),
    # the workers stay root rather than fail: this is a loopback dev stack.
    if runuser -u nobody -- test -x "$SOCK" -a -r "$DIR/static/portal.css" 2>/dev/null; then
      user_line="user nobody nogroup;"
    else
      log "note: user nobody cannot reach $DIR; nginx's workers run as root"
      user_line="user root root;"
    fi
  fi
  local f
  for f in "$ROOT"/nginx-conf/*.conf; do
    sed -e "s|@RUN_DIR@|$DIR|g" -e "s|@PORT@|$PORT|g" -e "s|@SOCKET_DIR@|$SOCK|g" \
        -e "s|@STATIC_DIR@|$DIR/static|g" -e "s|@CONF_DIR@|$DIR/nginx/conf|g" \
        -e "s|@USER_LINE@|$user_line|g" -e "s|@SIGNIN_RATE@|${PORTAL_SIGNIN_RATE:-600r/m}|g" \
        -e "s|@SIGNIN_BURST@|${PORTAL_SIGNIN_BURST:-200}|g" \
        "$f" > "$DIR/nginx/conf/$(basename "$f")"
  done
  mkdir -p "$DIR/nginx/conf/errors"
  cp "$ROOT/nginx-conf/errors/"* "$DIR/nginx/conf/errors/"
  nginx -t -q -e "$LOGS/nginx-error.log" -p "$DIR/nginx" -c "$DIR/nginx/conf/dev.conf"
  launch nginx nginx -e "$LOGS/nginx-error.log" -p "$DIR/nginx" -c "$DIR/nginx/conf/dev.conf" -g 'daemon off;'
  wait_for 10 nginx curl -sf -o /dev/null "http://127.0.0.1:$PORT/api/v1/health"
}

start_service() {
  case "$1" in
    redis) start_redis;;
    slapd) start_slapd;;
    smtp) start_smtp;;
    notify) start_notify;;
    nginx) start_nginx;;
    *) start_module "$1";;
  esac
}

start_all() {
  mkdir -p "$PIDS" "$LOGS" "$SOCK"
  rm -f "$DIR/stopping"
  if [ "$(id -u)" -eq 0 ]; then
    chmod 755 "$DIR"; chgrp nogroup "$SOCK"; chmod 750 "$SOCK"
    export PORTAL_SOCKET_GROUP=nogroup
  fi
  make_secrets
  if [ -n "${PORTAL_REDIS_SENTINELS:-}" ]; then
    log "Redis: the primary named by the Sentinels $PORTAL_REDIS_SENTINELS (not started here)"
  else
    start_redis
  fi
  start_slapd
  start_smtp
  local m
  for m in "${MODULES[@]}"; do start_module "$m"; done
  start_notify
  start_nginx
}

stop_all() {
  local m
  stop_one nginx
  for m in "${MODULES[@]}"; do stop_one "$m"; done
  stop_one notify
  stop_one smtp
  stop_one slapd
  stop_one redis
}

print_welcome() {
  cat <<TXT

  London Anti-Slavery Partner Portal (demo data) is running:

    http://127.0.0.1:$PORT/
    The API, described for people: http://127.0.0.1:$PORT/api/

  Demo sign-ins (every password: Demo-Portal-1):
    responder.police  responder.council  responder.health   First Responders
    ngo.a  ngo.b                                             NGO staff
    trainer                                                  trainer
    coordinator                                              partnership coordinator

  The e-mail the portal sends (portal-notify) is delivered, not sent out:
    $DIR/mail/new/   one file a message (a Maildir: open it with mutt -f $DIR/mail)

  Data and logs: $DIR   Stop: Ctrl-C (or 'make stop')
TXT
}

case "$cmd" in
  start)
    trap 'stop_all' ERR
    start_all
    trap - ERR
    echo "http://127.0.0.1:$PORT/"
    ;;
  run)
    trap 'stop_all; exit 1' ERR
    start_all
    trap - ERR
    trap 'log ""; log "Stopping the portal..."; stop_all; log "Stopped."; exit 0' INT TERM
    print_welcome
    # stay in the foreground until a signal, or until a process dies
    shopt -s nullglob
    while true; do
      pidfiles=("$PIDS"/*.pid)
      # `make stop` from another terminal: a clean stop
      if [ -e "$DIR/stopping" ] || [ ${#pidfiles[@]} -eq 0 ]; then
        while [ -e "$DIR/stopping" ]; do sleep 0.2; done
        log "Stopped."; exit 0
      fi
      for f in "${pidfiles[@]}"; do
        name=$(basename "$f" .pid)
        [ -f "$f" ] || continue
        if ! alive "$name"; then log "$name stopped unexpectedly (see $LOGS/$name.log)"; stop_all; exit 1; fi
      done
      sleep 1 & wait $!
    done
    ;;
  stop) touch "$DIR/stopping"; stop_all; rm -f "$DIR/stopping" ;;
  stop-service) stop_one "$service" ;;
  start-service) mkdir -p "$PIDS" "$LOGS" "$SOCK"; make_secrets; [ "$(id -u)" -eq 0 ] && export PORTAL_SOCKET_GROUP=nogroup; start_service "$service" ;;
  *) usage ;;
esac
