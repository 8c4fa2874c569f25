#!/usr/bin/env bash
# backup.sh - back up and restore the data of a stack made by stack.sh.
#
#   backup.sh backup  --dir RUN_DIR --out FILE.tar.gz [--keep-days N]
#   backup.sh restore --dir RUN_DIR --from FILE.tar.gz
#
# backup: a consistent snapshot of Redis (an RDB of the current dataset, asked
# of the running server with `redis-cli --rdb`), an LDIF of the directory
# (slapcat, which reads back-mdb safely while slapd runs) and a manifest, in
# one tar.gz (mode 0600: it holds personal data and password hashes).  Then
# it deletes the portal backups (portal-*.tar.gz holding a manifest.txt of
# this format) in the folder of --out that are older than N days (--keep-days,
# default PORTAL_BEDS_ERASE_DAYS, else 30): a backup keeps case references
# the portal has since erased, so none may outlive the erasure period.
#
# restore: stops Redis and slapd of RUN_DIR (stack.sh stop-service), puts the
# data they had aside in RUN_DIR/replaced/TIME/, loads the snapshot (the RDB
# becomes the base file of a fresh AOF, so Redis with `appendonly yes` loads
# it), rebuilds the directory from the LDIF (slapadd), and starts both again
# (stack.sh start-service).  The modules and nginx keep running and reconnect.
# Restore a stack started with `stack.sh start` (`make start`): the
# foreground `stack.sh run` stops everything when one of its services stops.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
STACK="$ROOT/tests/stack/stack.sh"
FORMAT="portal-backup 1"

usage() { sed -n '2,5p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
die() { printf 'backup.sh: %s\n' "$*" >&2; exit 1; }
say() { printf '%s\n' "$*"; }

cmd=${1:-}; [ -n "$cmd" ] || usage; shift
DIR=""; OUT=""; FROM=""; KEEP_DAYS=""
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) [ $# -ge 2 ] || usage; DIR=$2; shift 2;;
    --out) [ $# -ge 2 ] || usage; OUT=$2; shift 2;;
    --from) [ $# -ge 2 ] || usage; FROM=$2; shift 2;;
    --keep-days) [ $# -ge 2 ] || usage; KEEP_DAYS=$2; shift 2;;
    *) usage;;
  esac
done
[ -n "$DIR" ] || usage
case "$cmd" in
  backup) [ -n "$OUT" ] && [ -z "$FROM" ] || usage;;
  restore) [ -n "$FROM" ] && [ -z "$OUT" ] && [ -z "$KEEP_DAYS" ] || usage;;
  *) usage;;
esac
# how long backups are kept: the erasure period of case references
[ -n "$KEEP_DAYS" ] || KEEP_DAYS=${PORTAL_BEDS_ERASE_DAYS:-30}
case "$KEEP_DAYS" in
  ''|*[!0-9]*) die "--keep-days (or PORTAL_BEDS_ERASE_DAYS) must be a whole number of days from 1 to 3650, not '$KEEP_DAYS'";;
esac
[ "${#KEEP_DAYS}" -le 4 ] && [ "$KEEP_DAYS" -ge 1 ] && [ "$KEEP_DAYS" -le 3650 ] ||
  die "--keep-days (or PORTAL_BEDS_ERASE_DAYS) must be from 1 to 3650, not '$KEEP_DAYS'"
KEEP_DAYS=$((10#$KEEP_DAYS))  # "030" is 30 days, not octal

# ---- the run folder -----------------------------------------------------------
[ -d "$DIR" ] || die "$DIR is not a folder (give the --dir of a stack made by stack.sh)"
DIR=$(cd "$DIR" && pwd)
SOCK="$DIR/sock"
[ -f "$DIR/redis/redis.conf" ] && [ -f "$DIR/ldap/slapd.conf" ] && [ -d "$DIR/ldap/data" ] ||
  die "$DIR is not a stack run folder: it has no redis/redis.conf, ldap/slapd.conf and ldap/data (start it once with stack.sh)"
redis_cli() { redis-cli -s "$SOCK/redis.sock" "$@"; }
redis_up() { [ "$(redis_cli ping 2>/dev/null)" = PONG ]; }

TMP=$(mktemp -d "${TMPDIR:-/tmp}/portal-backup.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
umask 077

# keys in an RDB file, as redis-check-rdb counts them
rdb_keys() { redis-check-rdb "$1" 2>&1 | sed -n 's/.*\[info\] \([0-9]*\) keys read.*/\1/p' | tail -1; }

# ---- backup -------------------------------------------------------------------
do_backup() {
  local out_dir; out_dir=$(dirname "$OUT")
  [ -d "$out_dir" ] || die "$out_dir does not exist (the folder of --out)"
  case "$OUT" in *.tar.gz|*.tgz) ;; *) die "--out must end in .tar.gz";; esac
  redis_up || die "Redis of $DIR is not answering on $SOCK/redis.sock: start the stack first"

  mkdir -p "$TMP/b/redis" "$TMP/b/ldap"
  # an RDB of the dataset as it is now (Redis forks and streams it to us)
  redis_cli --rdb "$TMP/b/redis/dump.rdb" >"$TMP/rdb.log" 2>&1 ||
    die "redis-cli --rdb failed: $(cat "$TMP/rdb.log")"
  redis-check-rdb "$TMP/b/redis/dump.rdb" >"$TMP/check.log" 2>&1 ||
    die "the Redis snapshot does not check: $(cat "$TMP/check.log")"
  local keys; keys=$(rdb_keys "$TMP/b/redis/dump.rdb")
  say "redis: snapshot of $keys keys ($(stat -c %s "$TMP/b/redis/dump.rdb") bytes)"

  # the directory: slapcat reads back-mdb consistently while slapd runs
  slapcat -f "$DIR/ldap/slapd.conf" -l "$TMP/b/ldap/directory.ldif" 2>"$TMP/slapcat.log" ||
    die "slapcat failed: $(cat "$TMP/slapcat.log")"
  local entries; entries=$(grep -c '^dn:' "$TMP/b/ldap/directory.ldif" || true)
  [ "${entries:-0}" -gt 0 ] || die "slapcat gave no entries"
  say "ldap: LDIF of $entries entries"

  cat > "$TMP/b/manifest.txt" <<TXT
format: $FORMAT
created: $(date -u +%Y-%m-%dT%H:%M:%SZ)
host: $(hostname)
run_dir: $DIR
redis/dump.rdb: Redis RDB snapshot, $keys keys, $(redis-server --version | sed 's/ sha=.*//')
ldap/directory.ldif: slapcat LDIF of $(sed -n 's/^suffix[[:space:]]*//p' "$DIR/ldap/slapd.conf" | tr -d '"'), $entries entries
redis_keys: $keys
ldap_entries: $entries
TXT
  tar -C "$TMP/b" -czf "$TMP/backup.tar.gz" manifest.txt redis/dump.rdb ldap/directory.ldif
  mv "$TMP/backup.tar.gz" "$OUT"
  chmod 600 "$OUT"
  say "backup written: $OUT ($(stat -c %s "$OUT") bytes)"
  prune_backups "$out_dir" "$OUT"
}

# Delete the portal backups in folder $1 older than KEEP_DAYS days (by their
# modification time), except $2 (the one just written).  Only files named
# portal-*.tar.gz whose manifest.txt names this format are touched.
prune_backups() {
  local folder=$1 keep=$2 f manifest kept deleted=0
  while IFS= read -r -d '' f; do
    [ "$f" -ef "$keep" ] && continue
    manifest=$(tar -xzOf "$f" manifest.txt 2>/dev/null) || continue
    [ "${manifest%%$'\n'*}" = "format: $FORMAT" ] || continue
    rm -f -- "$f"
    say "deleted backup older than $KEEP_DAYS days: $f"
    deleted=$((deleted + 1))
  done < <(find "$folder" -maxdepth 1 -type f -name 'portal-*.tar.gz' -mmin +$((KEEP_DAYS * 1440)) -print0)
  kept=$(find "$folder" -maxdepth 1 -type f -name 'portal-*.tar.gz' | wc -l)
  say "backups kept $KEEP_DAYS days (the erasure period): $deleted deleted, $kept portal-*.tar.gz left in $folder"
}

# ---- restore ------------------------------------------------------------------
manifest_value() { sed -n "s/^$1: //p" "$TMP/r/manifest.txt" | head -1; }

do_restore() {
  [ -f "$FROM" ] || die "$FROM does not exist"
  mkdir -p "$TMP/r"
  tar -tzf "$FROM" >"$TMP/list" 2>/dev/null || die "$FROM is not a tar.gz"
  local f
  for f in manifest.txt redis/dump.rdb ldap/directory.ldif; do
    grep -qx "$f" "$TMP/list" || die "$FROM is not a portal backup: it has no $f"
  done
  tar -C "$TMP/r" -xzf "$FROM" manifest.txt redis/dump.rdb ldap/directory.ldif
  [ "$(manifest_value format)" = "$FORMAT" ] || die "$FROM: unknown backup format '$(manifest_value format)'"
  redis-check-rdb "$TMP/r/redis/dump.rdb" >"$TMP/check.log" 2>&1 ||
    die "the Redis snapshot in $FROM does not check: $(cat "$TMP/check.log")"
  grep -q '^dn:' "$TMP/r/ldap/directory.ldif" || die "the LDIF in $FROM has no entries"
  say "restoring $FROM (made $(manifest_value created)) into $DIR"

  # A slapd started with a TLS listener is started again with it.
  if [ -z "${PORTAL_STACK_LDAP_TLS_PORT:-}" ] && [ -f "$DIR/pids/slapd.pid" ]; then
    local port
    port=$(tr '\0' '\n' < "/proc/$(cat "$DIR/pids/slapd.pid")/cmdline" 2>/dev/null |
           grep -o 'ldap://127\.0\.0\.1:[0-9]*' | head -1 | sed 's/.*://') || true
    [ -z "$port" ] || export PORTAL_STACK_LDAP_TLS_PORT=$port
  fi

  "$STACK" stop-service redis --dir "$DIR"
  "$STACK" stop-service slapd --dir "$DIR"
  say "stopped redis and slapd"

  local aside; aside="$DIR/replaced/$(date -u +%Y%m%dT%H%M%SZ)"
  mkdir -p "$aside/redis"

  # Redis: with appendonly yes, Redis 7 loads only the AOF (a missing AOF
  # means an empty dataset, dump.rdb ignored), so the snapshot becomes the
  # base file of a new multi-part AOF, with its manifest.
  local r="$DIR/redis"
  [ ! -e "$r/appendonlydir" ] || mv "$r/appendonlydir" "$aside/redis/"
  [ ! -e "$r/dump.rdb" ] || mv "$r/dump.rdb" "$aside/redis/"
  mkdir "$r/appendonlydir"
  cp "$TMP/r/redis/dump.rdb" "$r/appendonlydir/appendonly.aof.1.base.rdb"
  printf 'file appendonly.aof.1.base.rdb seq 1 type b\n' > "$r/appendonlydir/appendonly.aof.manifest"
  say "redis: snapshot in place as the AOF base ($r/appendonlydir)"

  # slapd: an empty data folder, filled by slapadd
  mv "$DIR/ldap/data" "$aside/ldap-data"
  mkdir "$DIR/ldap/data"
  slapadd -f "$DIR/ldap/slapd.conf" -l "$TMP/r/ldap/directory.ldif" >"$TMP/slapadd.log" 2>&1 || {
    cat "$TMP/slapadd.log" >&2
    rm -rf "$DIR/ldap/data"; mv "$aside/ldap-data" "$DIR/ldap/data"
    "$STACK" start-service slapd --dir "$DIR" || true
    "$STACK" start-service redis --dir "$DIR" || true
    die "slapadd failed: the directory was left as it was (Redis is restored)"
  }
  say "ldap: $(grep -c '^dn:' "$TMP/r/ldap/directory.ldif") entries loaded"
  say "the data replaced is kept in $aside"

  "$STACK" start-service redis --dir "$DIR"
  "$STACK" start-service slapd --dir "$DIR"
  local want have
  want=$(manifest_value redis_keys); have=$(redis_cli dbsize)
  say "started redis ($have keys; the snapshot had $want) and slapd"
  # keys with a time to live may have expired since the backup
  [ -z "$want" ] || [ "$have" -le "$want" ] || die "Redis has $have keys after the restore, the snapshot $want"
  say "restore done"
}

case "$cmd" in
  backup) do_backup;;
  restore) do_restore;;
esac
