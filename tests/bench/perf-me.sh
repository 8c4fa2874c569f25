#!/usr/bin/env bash
# perf-me.sh - where GET /api/v1/auth/me's time goes, under the bench's load.
#
#   tests/bench/perf-me.sh BUILD_DIR        (e.g. $PWD/build)
#
# Starts the portal stack (tests/stack/stack.sh) on a free loopback port,
# signs in the demo First Responder, and runs wrk against /api/v1/auth/me
# (PERF_CONNECTIONS, default 64, for PERF_SECONDS, default 10) while perf
# (Debian's linux-perf) samples the serving processes - nginx's workers, the
# auth module's workers, Redis - at 999 Hz with call graphs.  Prints:
#   - wrk's req/s, and each process group's share of the samples;
#   - the auth workers' top symbols (self time), and by library (DSO);
#   - nginx's and Redis's top symbols.
# Needs perf_event_open (root, or kernel.perf_event_paranoid <= 1); says so
# and stops when perf cannot sample.  Everything it starts is stopped on
# exit, by PID.  PERF_KEEP=1 keeps the folder (perf.data, logs).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
SECS=${PERF_SECONDS:-10}
CONNS=${PERF_CONNECTIONS:-64}
[[ $SECS =~ ^[0-9]+$ ]] && [ "$SECS" -ge 2 ] && [ "$SECS" -le 120 ] || { echo "PERF_SECONDS must be 2-120" >&2; exit 2; }
[[ $CONNS =~ ^[0-9]+$ ]] && [ "$CONNS" -ge 1 ] && [ "$CONNS" -le 1000 ] || { echo "PERF_CONNECTIONS must be 1-1000" >&2; exit 2; }
[ $# -eq 1 ] || { sed -n '2,3p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
BUILD=$(cd "$1" && pwd)
for tool in perf wrk curl; do command -v "$tool" >/dev/null || { echo "perf-me: $tool is not installed" >&2; exit 1; }; done
if ! perf stat -e task-clock -o /dev/null true 2>/dev/null; then
  echo "perf-me: perf cannot sample here (perf_event_open refused; kernel.perf_event_paranoid=$(cat /proc/sys/kernel/perf_event_paranoid 2>/dev/null))" >&2
  exit 1
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/portal-perf.XXXXXX")
WRK_PID=""
cleanup() {
  local rc=$?
  [ -z "$WRK_PID" ] || kill "$WRK_PID" 2>/dev/null || true
  "$ROOT/tests/stack/stack.sh" stop --dir "$TMP" >>"$TMP/stack.log" 2>&1 || true
  if [ "$rc" -eq 0 ] && [ "${PERF_KEEP:-0}" != 1 ]; then rm -rf "$TMP"; else echo "perf-me: kept $TMP" >&2; fi
  exit "$rc"
}
trap cleanup EXIT
PORT=$((20000 + RANDOM % 40000))
"$ROOT/tests/stack/stack.sh" start --dir "$TMP" --port "$PORT" --bin "$BUILD" >"$TMP/stack.log" 2>&1
URL="http://127.0.0.1:$PORT"
cookie=$(curl -sS -D - -o /dev/null -H 'Content-Type: application/json' \
  --data '{"username":"responder.police","password":"Demo-Portal-1"}' "$URL/api/v1/auth/login" |
  awk 'tolower($1) == "set-cookie:" { sub(/\r$/, ""); split($2, a, ";"); print a[1]; exit }')
[ -n "$cookie" ] || { echo "perf-me: sign-in failed" >&2; exit 1; }

auth=$(pgrep -P "$(cat "$TMP/pids/auth.pid")" | paste -sd, -)
nginx=$(pgrep -P "$(cat "$TMP/pids/nginx.pid")" | paste -sd, -)
redis=$(cat "$TMP/pids/redis.pid")
wrk -t2 -c"$CONNS" -d"$((SECS + 3))s" -H "Cookie: $cookie" "$URL/api/v1/auth/me" >"$TMP/wrk.out" 2>&1 &
WRK_PID=$!
sleep 2
perf record -q -F 999 -g -o "$TMP/perf.data" -p "$auth,$nginx,$redis" -- sleep "$SECS" >/dev/null 2>"$TMP/perf-record.log"
wait "$WRK_PID" || true; WRK_PID=""

echo "GET /api/v1/auth/me, wrk -t2 -c$CONNS, perf -F 999 over ${SECS}s: $(awk '/Requests\/sec/ { print $2 }' "$TMP/wrk.out") req/s"
rep() { perf report -i "$TMP/perf.data" --stdio -q -g none --percentage relative "$@" 2>/dev/null | grep -v '^$' || true; }
by_dso() { awk 'NF { gsub(/%/, "", $1); s[$2] += $1 } END { for (k in s) printf "%6.1f%% %s\n", s[k], k }' | sort -rn | head -6 | sed 's/^/    /'; }
echo "samples by process (portal-auth = the auth module's workers):"
rep --no-children --sort comm | sed 's/^ */    /'
for c in portal-auth nginx redis-server; do
  echo "  $c, self time by library:"
  rep --no-children --comm "$c" --sort dso,sym | by_dso
  echo "  $c, top symbols (self):"
  rep --no-children --comm "$c" --sort dso,sym | head -12 | sed 's/^ */    /'
  echo "  $c, system calls and socket work (inclusive):"
  rep --children --comm "$c" --sort sym |
    grep -E '\] (accept|__close|__libc_connect|__GI___writev|__poll|read|__libc_write|ext4_buffered_write_iter|sock_write_iter|ksys_read|epoll_wait)$' |
    sed 's/^ */    /'
done
