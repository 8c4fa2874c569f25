#!/usr/bin/env bash
# run.sh - the portal under wrk load, beside two baselines, in one run.
#
#   tests/bench/run.sh BUILD_DIR          (make bench calls it with $PWD/build)
#
# What it does, all on 127.0.0.1 and unix sockets, in one temporary folder:
#   1. starts the whole portal stack (tests/stack/stack.sh) on a free port;
#   2. starts the baselines behind one separate nginx on another free port:
#        static  nginx serving a file holding the portal's own response body
#                for that endpoint (fetched once), same security headers;
#        php     PHP-FPM 8.2, pm static with PHP_WORKERS (default 8 = the
#                portal module's 2 workers x 4 threads) workers, running a
#                small script that does ONE session lookup in the portal's
#                Redis through a persistent phpredis connection and answers
#                the same bytes as the portal, with the same Content-Type
#                and Cache-Control.  For JSON the script json_encode()s a PHP
#                array literal (what a PHP shop would write); for HTML it
#                echoes the page's bytes after the lookup (no templating, so
#                if anything the HTML baseline flatters PHP);
#   3. for every endpoint, runs wrk against portal, static, php, in rounds
#      (portal, static, php, portal, static, php, ...) after a short warm-up,
#      samples the workers' RSS during each run, counts the answers by status
#      class from each target's nginx access log, and takes the median per
#      target;
#   4. prints one table plus the issue's goals as PASS/MISS lines, and writes
#      them to BUILD_DIR/bench-results.txt.
#
# The goals are reported, not asserted: the exit status is 0 when the runs
# completed, non-zero only when something failed to start or a run produced
# no result at all.  Everything it starts is stopped on exit, by PID.
#
# Environment (all optional):
#   BENCH_SECONDS=7       length of each measured wrk run (1-600)
#   BENCH_ROUNDS=2        rounds per endpoint (1-20); the median is reported
#   BENCH_CONNECTIONS=64  wrk connections      BENCH_THREADS=2  wrk threads
#   BENCH_WARMUP=2        seconds of unmeasured load per target first (0-60)
#   PHP_WORKERS=8         PHP-FPM pm.max_children (pm static)
#   BENCH_KEEP=1          keep the temporary folder (logs, configs) afterwards
#   BENCH_ONLY=REGEX      measure only the endpoints whose label matches (bash
#                         =~, e.g. '^beds-'); the rest are set up, not run
#   PORTAL_LOG_LEVEL      passed to the modules (stack default: info)
#   The bench stack is started with PORTAL_SIGNIN_RATE=10000r/s and
#   PORTAL_SIGNIN_BURST=1000 (the setup scripts sign in a few hundred bench
#   users) and PORTAL_BEDS_MAX_PENDING=100000 (every wrk connection holds a
#   bed at once); set them to override.
# With the defaults (14 endpoints, 33 target runs a round) a whole run takes
# about 13 minutes on 2 CPUs: 33 x (2 x 7 s + 2 s) of load, plus the London-
# scale set-up (1 to 3 minutes, with the machine's load) and wrk start-up.
# perf-me.sh (beside this file) says where GET /api/v1/auth/me's time goes.
#
# Adding endpoints: tests/bench/setup.sh, then every tests/bench/setup-*.sh
# (sorted by name), are sourced (bash, set -euo pipefail in force) after the
# stack is up and before anything is fetched, and may:
#   - append to ENDPOINTS, lines "label METHOD PATH [lua=FILE] [Header: value]"
#     (see below), to GOAL_ENDPOINTS the labels of authenticated reads and
#     to WRITE_ENDPOINTS those of writes (the issue's targets are checked for
#     them); setup.sh's bench_row adds a row whose requests rotate over a
#     file of request lines (rows.lua);
#   - append to BENCH_CHECKS names of functions run after the load, each
#     printing "PASS|MISS what (figures)" lines (the invariant checks;
#     check-selftest.sh first shows the check scripts find what they are for);
#   - append to COST_RATIOS "BIG SMALL MAX" lines: the cost of a request of
#     row BIG (1 / its req/s at BENCH_CONNECTIONS) must stay within MAX x the
#     cost of row SMALL (printed as a PASS/MISS line);
#   - append to BENCH_NOTES, lines printed under the table (what a row's
#     design means, e.g. which 4xx answers are expected);
#   - append to BENCH_ROWS, rows it measured itself, not with wrk (one line
#     each, printed as they are after the table, with no target; e.g.
#     setup-notify.sh's notification throughput and delay);
#   - append to BENCH_HEADERS, headers sent with every request to every
#     target (e.g. "Cookie: portal_session=...");
#   - set BENCH_SESSION_JSON, the value stored at $BENCH_SESSION_KEY that the
#     PHP baseline reads (e.g. copy the portal's real session record, so both
#     sides read the same number of bytes).
# They can use PORTAL_URL (http://127.0.0.1:PORT), STACK_DIR, REDIS_SOCK,
# BENCH_STATE_DIR (a folder for wrk scripts' state between runs), curl,
# redis-cli and ldapadd.  tests/bench/setup.sh (signing in, adding GET
# /api/v1/auth/me) is the example.
#
# Endpoints with a wrk script (lua=FILE, a path under the checkout; needed
# for POST, since wrk sends no body otherwise): against the portal, wrk runs
# a generated script that loads stats.lua, then FILE (its request(),
# response(), setup(), init() and wrk.method win; a done() of its own runs
# before stats.lua's), then, for one short probe run (1 connection, up to 15
# answers), records the answers.  FILE builds its own requests; the -H
# headers (BENCH_HEADERS and the line's header) are in wrk.headers, which
# wrk.format() does NOT add when given a header table, so merge them.  The
# static baseline of such a row is a GET of a file holding the portal's
# typical (median-sized 2xx) answer from the probe; there is no PHP baseline
# ("-"), since a PHP write path would be a different program.
set -euo pipefail

# ---- what is measured ----------------------------------------------------------
# "label METHOD PATH [lua=FILE] [Header: value]": label is [a-z0-9_-]+ and
# names the row; METHOD is GET or POST (POST needs lua=FILE, the wrk script
# that builds the requests); the optional header is sent to all targets.
ENDPOINTS=(
  "health GET /api/v1/health"
  "start  GET /"
)
BENCH_HEADERS=()
BENCH_SESSION_KEY="portal:bench:session"
BENCH_SESSION_JSON='{"sid":"bench-0000000000000000","user":"responder.police","roles":["responder"],"agency":null,"created":1700000000,"seen":1700000000}'

# The issue's goals (reported beside the figures, never asserted), checked
# for the labels in GOAL_ENDPOINTS: the authenticated reads (setup.sh adds
# "me").  When it is empty every endpoint is checked, as a stand-in.
GOAL_ENDPOINTS=()
WRITE_ENDPOINTS=()      # the writes: >= GOAL_WRITE_VS_ME x me req/s, 0 errors
BENCH_CHECKS=()         # functions run after the load, printing PASS/MISS lines
COST_RATIOS=()
BENCH_NOTES=()          # lines the setup scripts add under the table
BENCH_ROWS=()           # rows a setup script measured itself (not wrk): printed, no target
GOAL_VS_STATIC=0.22     # me: portal req/s >= this x static req/s
GOAL_VS_PHP=1.5         # portal req/s >= this x PHP-FPM req/s (rows with a PHP baseline)
GOAL_READ_VS_ME=0.5     # every authenticated read: req/s >= this x me's
GOAL_WRITE_VS_ME=0.3    # every write: req/s >= this x me's
GOAL_P99_MS=20          # every authenticated read: p99 <= this
GOAL_RSS_MIB=8          # each portal worker's VmRSS <= this

# ---- settings -----------------------------------------------------------------
BENCH_SECONDS=${BENCH_SECONDS:-7}
BENCH_ROUNDS=${BENCH_ROUNDS:-2}
BENCH_CONNECTIONS=${BENCH_CONNECTIONS:-64}
BENCH_THREADS=${BENCH_THREADS:-2}
BENCH_WARMUP=${BENCH_WARMUP:-2}
PHP_WORKERS=${PHP_WORKERS:-8}
BENCH_KEEP=${BENCH_KEEP:-0}
BENCH_ONLY=${BENCH_ONLY:-}

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
STACK_SH="$ROOT/tests/stack/stack.sh"
PHP_FPM=${PHP_FPM:-php-fpm8.2}

log() { printf 'bench: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

int_in() { # int_in NAME VALUE MIN MAX
  [[ $2 =~ ^[0-9]+$ ]] && [ "$2" -ge "$3" ] && [ "$2" -le "$4" ] ||
    die "$1 must be a whole number from $3 to $4 (got '$2')"
}
int_in BENCH_SECONDS "$BENCH_SECONDS" 1 600
int_in BENCH_ROUNDS "$BENCH_ROUNDS" 1 20
int_in BENCH_CONNECTIONS "$BENCH_CONNECTIONS" 1 10000
int_in BENCH_THREADS "$BENCH_THREADS" 1 64
int_in BENCH_WARMUP "$BENCH_WARMUP" 0 60
int_in PHP_WORKERS "$PHP_WORKERS" 1 256
[ "$BENCH_THREADS" -le "$BENCH_CONNECTIONS" ] || die "BENCH_THREADS must not exceed BENCH_CONNECTIONS"

[ $# -eq 1 ] || { sed -n '2,3p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
BUILD=$(cd "$1" 2>/dev/null && pwd) || die "no build folder at $1 (run make first)"
[ -x "$BUILD/portal-auth" ] || die "$BUILD/portal-auth is missing (run make first)"
for tool in wrk nginx redis-cli curl php "$PHP_FPM" pgrep ss ldapadd; do
  command -v "$tool" >/dev/null || die "$tool is not installed (tests/stack/deps.sh installs it)"
done

# ---- process bookkeeping: everything we start is stopped on exit, by PID ------
TMP=$(mktemp -d "${TMPDIR:-/tmp}/portal-bench.XXXXXX")
B="$TMP/baseline"        # baseline nginx + PHP-FPM
R="$TMP/results"         # wrk output and RSS samples
L="$TMP/lua"             # generated wrk scripts
BENCH_STATE_DIR="$TMP/state"   # wrk scripts' state between runs
STACK_STARTED=0
BASE_NGINX_PID=""
PHP_FPM_PID=""
SAMPLER_PID=""
WRK_PID=""

stop_pid() { # stop_pid PID NAME: SIGTERM, wait up to 10 s, then SIGKILL
  local pid=$1 name=$2 i
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  log "$name (pid $pid) did not stop in 10 s: killing it"
  kill -KILL "$pid" 2>/dev/null || true
}

cleanup() {
  local rc=$?
  set +e
  trap - EXIT INT TERM
  stop_pid "$WRK_PID" wrk
  stop_pid "$SAMPLER_PID" "rss sampler"
  stop_pid "$BASE_NGINX_PID" "baseline nginx"
  stop_pid "$PHP_FPM_PID" php-fpm
  if [ "$STACK_STARTED" = 1 ] || [ -d "$TMP/pids" ]; then
    "$STACK_SH" stop --dir "$TMP" 2>>"$TMP/bench.log"
  fi
  if [ "$rc" -eq 0 ] && [ "$BENCH_KEEP" != 1 ]; then
    rm -rf "$TMP"
  else
    log "logs and configs kept in $TMP"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM

wait_for() { # wait_for SECONDS DESCRIPTION COMMAND...
  local secs=$1 what=$2 i; shift 2
  for i in $(seq 1 $((secs * 10))); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done
  die "timed out waiting for $what (logs in $TMP)"
}

# A TCP port on 127.0.0.1 that nothing listens on (checked twice: ss, connect).
free_port() {
  local p i
  for i in $(seq 1 100); do
    p=$((20000 + RANDOM % 40000))
    [ -z "$(ss -Htln "sport = :$p" 2>/dev/null)" ] || continue
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null && continue
    [ "$p" != "${PORTAL_PORT:-}" ] || continue
    echo "$p"; return 0
  done
  die "no free loopback port found"
}

# pids of the children of the given master pids (a module's or php-fpm's
# workers, nginx's workers); empty when there are none.
children_of() { local m; for m in "$@"; do pgrep -P "$m" || true; done; }

# rss_sample MASTER_PID...: one "pid rss-kB private-kB" line per worker.
# VmRSS counts the shared library pages every worker maps (libcrypto, libc);
# private (Private_Clean + Private_Dirty) is what each worker alone costs.
rss_sample() {
  local pid
  for pid in $(children_of "$@"); do
    awk -v p="$pid" '/^Rss:/ { r = $2 } /^Private_(Clean|Dirty):/ { v += $2 }
                     END { if (r) print p, r, v }' "/proc/$pid/smaps_rollup" 2>/dev/null || true
  done
}
# rss_sampler OUT MASTER_PID...: rss_sample every 0.5 s until stopped.
rss_sampler() {
  local out=$1; shift
  while :; do rss_sample "$@" >>"$out"; sleep 0.5; done
}

mkdir -p "$B/static" "$B/php" "$R" "$L" "$BENCH_STATE_DIR"
export BENCH_STATE_DIR BENCH_THREADS
chmod 755 "$B" "$B/static" "$B/php"

# ---- 1. the portal --------------------------------------------------------------
PORTAL_PORT=$(free_port)
# The bench stack's settings (stack.sh passes the environment through to
# nginx's config and the modules): the setup scripts sign in a few hundred
# bench users, and every wrk connection of the hold benchmark holds a bed.
export PORTAL_SIGNIN_RATE=${PORTAL_SIGNIN_RATE:-10000r/s}
export PORTAL_SIGNIN_BURST=${PORTAL_SIGNIN_BURST:-1000}
export PORTAL_BEDS_MAX_PENDING=${PORTAL_BEDS_MAX_PENDING:-100000}
log "starting the portal stack on 127.0.0.1:$PORTAL_PORT in $TMP"
STACK_STARTED=1
"$STACK_SH" start --dir "$TMP" --port "$PORTAL_PORT" --bin "$BUILD" >>"$TMP/bench.log" 2>&1 ||
  die "the portal stack did not start (see $TMP/bench.log and $TMP/logs/)"
PORTAL_URL="http://127.0.0.1:$PORTAL_PORT"
# shellcheck disable=SC2034  # read by tests/bench/setup.sh
STACK_DIR=$TMP
REDIS_SOCK="$TMP/sock/redis.sock"

MODULE_MASTERS=(); MODULE_NAMES=()
for f in "$TMP"/pids/*.pid; do
  # not modules: the stores, nginx, and the e-mail worker with its SMTP server
  case "$(basename "$f" .pid)" in redis|slapd|nginx|notify|smtp) continue;; esac
  MODULE_MASTERS+=("$(cat "$f")"); MODULE_NAMES+=("$(basename "$f" .pid)")
done
[ ${#MODULE_MASTERS[@]} -gt 0 ] || die "no portal module is running"
PORTAL_THREADS_NOTE="$(children_of "${MODULE_MASTERS[@]}" | wc -l) module workers"

# ---- the hooks for more endpoints: setup.sh, then setup-*.sh by name ----------
setup_started=$SECONDS
for setup_file in "$HERE/setup.sh" "$HERE"/setup-*.sh; do   # glob: sorted
  [ -f "$setup_file" ] || continue
  log "sourcing tests/bench/$(basename "$setup_file")"
  # shellcheck source=/dev/null
  source "$setup_file"
done
unset setup_file
log "setup took $((SECONDS - setup_started)) s"
if [ ${#BENCH_CHECKS[@]} -gt 0 ]; then
  "$HERE/check-selftest.sh" "$REDIS_SOCK" >"$TMP/check-selftest.log" 2>&1 ||
    die "the invariant checks do not find what they should: $(grep -v '^ok' "$TMP/check-selftest.log" | head -n 3)"
fi

redis-cli -s "$REDIS_SOCK" SET "$BENCH_SESSION_KEY" "$BENCH_SESSION_JSON" EX 86400 >/dev/null ||
  die "cannot write $BENCH_SESSION_KEY to Redis"

# ---- parse and check the endpoint list ------------------------------------------
LABELS=(); METHODS=(); PATHS=(); HEADERS=(); LUAS=()
header_ok() { [[ $1 =~ ^[A-Za-z0-9-]+:\ ?[^[:cntrl:]]+$ ]]; }
for line in "${ENDPOINTS[@]}"; do
  read -r label method path rest <<<"$line" || true
  lua="" header=${rest:-}
  if [[ $header == lua=* ]]; then
    lua=${header%%[[:space:]]*}; lua=${lua#lua=}
    header=${header#lua="$lua"}; header=${header#"${header%%[![:space:]]*}"}
    [[ $lua =~ ^[A-Za-z0-9_./-]+\.lua$ ]] || die "endpoint '$line': lua=FILE must name a .lua file"
    [[ $lua == /* ]] || lua="$ROOT/$lua"
    [ -r "$lua" ] || die "endpoint '$line': no wrk script at $lua"
  fi
  [[ ${label:-} =~ ^[a-z0-9_-]{1,32}$ ]] || die "endpoint '$line': the label must be 1-32 of a-z 0-9 _ -"
  case "${method:-}" in
    GET) ;;
    POST) [ -n "$lua" ] || die "endpoint '$line': POST needs lua=FILE (wrk sends no body otherwise)";;
    *) die "endpoint '$line': the method must be GET or POST";;
  esac
  [[ ${path:-} =~ ^/[^[:space:][:cntrl:]]*$ ]] || die "endpoint '$line': the path must start with /"
  [ -z "$header" ] || header_ok "$header" || die "endpoint '$line': the header must look like 'Name: value'"
  for l in "${LABELS[@]+"${LABELS[@]}"}"; do [ "$l" != "$label" ] || die "endpoint label '$label' is used twice"; done
  [ -z "$BENCH_ONLY" ] || [[ $label =~ $BENCH_ONLY ]] || continue
  LABELS+=("$label"); METHODS+=("$method"); PATHS+=("$path"); HEADERS+=("$header"); LUAS+=("$lua")
done
[ ${#LABELS[@]} -gt 0 ] || die "BENCH_ONLY='$BENCH_ONLY' matches no endpoint label"
for h in "${BENCH_HEADERS[@]+"${BENCH_HEADERS[@]}"}"; do
  header_ok "$h" || die "BENCH_HEADERS entry '$h' must look like 'Name: value'"
done

# lua_literal STRING: STRING as a Lua long-bracket-free quoted string
lua_literal() { printf '"%s"' "$(printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g')"; }

# write_combined INDEX: the wrk script for the portal target of a lua= row,
# $L/LABEL.lua: stats.lua first (wrk.method from BENCH_METHOD, done()), then
# the endpoint's script, whose request/response/setup/init (and wrk.method,
# if it sets one) are left as it defines them; its own done(), if any, runs
# before stats.lua's.  With BENCH_PROBE_OUT set (the probe run), response()
# also writes each answer's status (up to 50) and the first 15 2xx bodies
# and Content-Types there, then stops the thread.
write_combined() {
  local i=$1
  cat >"$L/${LABELS[$i]}.lua" <<LUA
-- Generated by tests/bench/run.sh for ${LABELS[$i]} = ${METHODS[$i]} ${PATHS[$i]}
dofile($(lua_literal "$HERE/stats.lua"))
local stats_done = done
dofile($(lua_literal "${LUAS[$i]}"))
local endpoint_done = done
if endpoint_done ~= stats_done then
  done = function(summary, latency, requests)
    endpoint_done(summary, latency, requests)
    stats_done(summary, latency, requests)
  end
end
LUA
  cat >>"$L/${LABELS[$i]}.lua" <<'LUA'

local probe_out = os.getenv("BENCH_PROBE_OUT")
if probe_out then
  local endpoint_response = response
  local answers, ok = 0, 0
  response = function(status, headers, body)
    if endpoint_response then endpoint_response(status, headers, body) end
    answers = answers + 1
    local f = io.open(probe_out .. "/status", "a")
    f:write(status, "\n"); f:close()
    if status >= 200 and status < 300 and ok < 15 then
      ok = ok + 1
      f = io.open(probe_out .. "/body." .. ok, "wb"); f:write(body or ""); f:close()
      local ctype = ""
      for k, v in pairs(headers) do if string.lower(k) == "content-type" then ctype = v end end
      f = io.open(probe_out .. "/ctype." .. ok, "w"); f:write(ctype); f:close()
    end
    if ok >= 15 or answers >= 50 then wrk.thread:stop() end
  end
end
LUA
}

# wrk_script TARGET INDEX: the wrk script for that target and endpoint
wrk_script() {
  if [ "$1" = portal ] && [ -n "${LUAS[$2]}" ]; then printf '%s' "$L/${LABELS[$2]}.lua"
  else printf '%s' "$HERE/stats.lua"; fi
}
# wrk_method TARGET INDEX: what stats.lua sets wrk.method to (the baselines
# of a lua= row answer a GET of a file)
wrk_method() {
  if [ "$1" = portal ]; then printf '%s' "${METHODS[$2]}"; else printf 'GET'; fi
}
# targets_of INDEX: the targets measured for endpoint INDEX (no PHP
# baseline for a lua= row)
targets_of() {
  if [ -n "${LUAS[$1]}" ]; then printf '%s\n' portal static; else printf '%s\n' portal static php; fi
}

# header_args INDEX: curl/wrk -H arguments for endpoint INDEX, one per line
header_args() {
  local h
  for h in "${BENCH_HEADERS[@]+"${BENCH_HEADERS[@]}"}" "${HEADERS[$1]}"; do
    [ -n "$h" ] && printf -- '-H\n%s\n' "$h"
  done
  return 0
}

php_literal() { php -r 'var_export($argv[1]);' -- "$1"; }

# ---- 2. fetch each endpoint once; write the static files and PHP scripts ------
NGINX_LOCATIONS=""
declare -A CTYPE BODYSIZE PHPMODE PROBE_STATUSES
for i in "${!LABELS[@]}"; do
  label=${LABELS[$i]}
  mapfile -t hargs < <(header_args "$i")
  if [ -n "${LUAS[$i]}" ]; then
    # a scripted endpoint: one short probe run through its own wrk script
    # (1 connection), keeping the median-sized 2xx answer
    write_combined "$i"
    probe="$R/$label.probe"; mkdir -p "$probe"
    BENCH_PROBE_OUT=$probe BENCH_METHOD=${METHODS[$i]} BENCH_RUN_ID="$label-probe-$(date +%s%N)" BENCH_THREADS=1 \
      timeout -k 5 30 wrk -t1 -c1 -d3s --timeout 5s -s "$L/$label.lua" "${hargs[@]+"${hargs[@]}"}" \
      "$PORTAL_URL${PATHS[$i]}" >"$probe/wrk.out" 2>&1 ||
      die "the probe run for $label failed: $(tail -n 3 "$probe/wrk.out")"
    statuses=$(sort "$probe/status" 2>/dev/null | uniq -c | awk '{ printf "%s%sx %s", (NR > 1 ? ", " : ""), $1, $2 }')
    PROBE_STATUSES[$label]=$statuses
    pick=$(for f in "$probe"/body.*; do [ -f "$f" ] && printf '%s %s\n' "$(stat -c %s "$f")" "$f"; done |
           sort -n | awk '{ a[NR] = $2 } END { if (NR) print a[int((NR + 1) / 2)] }')
    [ -n "$pick" ] || die "${METHODS[$i]} ${PATHS[$i]} (via ${LUAS[$i]#"$ROOT"/}): no 2xx answer in the probe run (${statuses:-no answer}; see $TMP/logs/)"
    cp "$pick" "$B/static/$label"
    ctype=$(cat "$probe/ctype.${pick##*.}")
    # an answer with no body (204) has no Content-Type: the file is served as bytes
    [ -n "$ctype" ] || ctype=application/octet-stream
    log "$label: probe answers: $statuses"
    printf 'HTTP/1.1 200 OK\r\n\r\n' >"$B/static/$label.headers"
  else
    out=$(curl -sS -X "${METHODS[$i]}" "${hargs[@]+"${hargs[@]}"}" -o "$B/static/$label" \
          -D "$B/static/$label.headers" -w '%{http_code}\n%{content_type}' "$PORTAL_URL${PATHS[$i]}") ||
      die "cannot fetch ${PATHS[$i]} from the portal"
    code=${out%%$'\n'*}; ctype=${out#*$'\n'}
    [[ $code =~ ^2 ]] || die "${METHODS[$i]} ${PATHS[$i]} answered $code, not 2xx (see $TMP/logs/)"
  fi
  chmod 644 "$B/static/$label"
  [[ $ctype =~ ^[A-Za-z0-9.+-]+/[A-Za-z0-9.+-]+(\;\ ?[A-Za-z0-9_-]+=[A-Za-z0-9_.-]+)?$ ]] ||
    die "${PATHS[$i]}: unexpected Content-Type '$ctype'"
  cache=$(awk 'tolower($1) == "cache-control:" { sub(/^[^:]*:[ \t]*/, ""); sub(/\r$/, ""); print; exit }' \
          "$B/static/$label.headers")
  CTYPE[$label]=$ctype
  BODYSIZE[$label]=$(stat -c %s "$B/static/$label")

  NGINX_LOCATIONS+="
        location = /bench/static/$label {
            types { }
            default_type \"$ctype\";
            alias $B/static/$label;
        }"
  if [ -n "${LUAS[$i]}" ]; then
    PHPMODE[$label]=none   # no PHP baseline for a scripted (write) endpoint
    continue
  fi

  # The PHP script: JSON bodies are rebuilt with json_encode() from a PHP
  # array literal when that reproduces the portal's bytes exactly; anything
  # else (HTML) is echoed as a string literal.
  gen=$(php -r '
    $b = file_get_contents($argv[1]);
    $d = json_decode($b, true);
    if (is_array($d) && json_encode($d, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE) === $b) {
        echo "json\n"; var_export($d);
    } else {
        echo "raw\n"; var_export($b);
    }' -- "$B/static/$label")
  PHPMODE[$label]=${gen%%$'\n'*}
  {
    printf '<?php\n// Generated by tests/bench/run.sh: PHP-FPM baseline for %s %s\n' "${METHODS[$i]}" "${PATHS[$i]}"
    printf '$redis_socket = %s;\n' "$(php_literal "$REDIS_SOCK")"
    printf '$session_key = %s;\n' "$(php_literal "$BENCH_SESSION_KEY")"
    printf '$content_type = %s;\n' "$(php_literal "$ctype")"
    printf '$cache_control = %s;\n' "$(php_literal "$cache")"
    printf '$payload = %s;\n' "${gen#*$'\n'}"
    cat <<'PHP'

function fail(int $status, string $message): void
{
    http_response_code($status);
    header('Content-Type: application/json');
    header('Cache-Control: no-store');
    echo json_encode(['error' => $message]);
}

// One persistent connection per FPM worker, kept between requests.
$redis = new Redis();
try {
    $redis->pconnect($redis_socket, 0, 1.0, 'portal-bench', 0, 1.0);
    $raw = $redis->get($session_key);
} catch (RedisException $e) {
    fail(503, 'redis unavailable');
    return;
}
$session = is_string($raw) ? json_decode($raw, true) : null;
if (!is_array($session) || $session === []) {
    fail(401, 'no session');
    return;
}
header('Content-Type: ' . $content_type);
if ($cache_control !== '') {
    header('Cache-Control: ' . $cache_control);
}
PHP
    if [ "${PHPMODE[$label]}" = json ]; then
      printf 'echo json_encode($payload, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE);\n'
    else
      printf 'echo $payload;\n'
    fi
  } >"$B/php/$label.php"
  chmod 644 "$B/php/$label.php"

  NGINX_LOCATIONS+="
        location = /bench/php/$label {
            fastcgi_pass unix:$B/php.sock;
            include /etc/nginx/fastcgi_params;
            fastcgi_param SCRIPT_FILENAME $B/php/$label.php;
        }"
done

# ---- 3. the baselines --------------------------------------------------------------
BASE_PORT=$(free_port)
BASE_URL="http://127.0.0.1:$BASE_PORT"
user_line=""; fpm_user=""; fpm_flags=()
if [ "$(id -u)" -eq 0 ]; then
  # Like the portal's stack: nginx workers run as nobody and reach the
  # FastCGI socket through its group; the PHP workers run as root, as the
  # portal's modules do here, so both can open Redis's socket.
  user_line="user nobody nogroup;"
  fpm_user="user = root
group = root
listen.owner = root
listen.group = nogroup
listen.mode = 0660"
  fpm_flags=(-R)
fi

cp "$ROOT/nginx-conf/security-headers.conf" "$B/security-headers.conf"
mkdir -p "$B/nginx-temp"
cat >"$B/nginx.conf" <<CONF
# Baseline nginx for tests/bench/run.sh: the same process shape as the
# portal's development nginx (nginx-conf/dev.conf), same security headers.
$user_line
worker_processes 2;
pid $B/nginx.pid;
error_log $TMP/logs/baseline-nginx-error.log warn;
events { worker_connections 1024; }

http {
    access_log $TMP/logs/baseline-nginx-access.log;
    client_body_temp_path $B/nginx-temp/body;
    fastcgi_temp_path $B/nginx-temp/fastcgi;
    proxy_temp_path $B/nginx-temp/proxy;
    uwsgi_temp_path $B/nginx-temp/uwsgi;
    scgi_temp_path $B/nginx-temp/scgi;
    sendfile on;
    keepalive_timeout 30s;

    server {
        listen 127.0.0.1:$BASE_PORT;
        server_name localhost;
        server_tokens off;
        charset utf-8;
        include $B/security-headers.conf;
$NGINX_LOCATIONS
        location / { return 404; }
    }
}
CONF

cat >"$B/php-fpm.conf" <<CONF
; PHP-FPM baseline for tests/bench/run.sh: its own master and pool.
[global]
pid = $B/php-fpm.pid
error_log = $TMP/logs/php-fpm.log
log_level = warning
daemonize = no

[bench]
$fpm_user
listen = $B/php.sock
listen.backlog = 1024
pm = static
pm.max_children = $PHP_WORKERS
pm.max_requests = 0
request_terminate_timeout = 30s
catch_workers_output = yes
clear_env = yes
CONF

"$PHP_FPM" -t -y "$B/php-fpm.conf" "${fpm_flags[@]+"${fpm_flags[@]}"}" >>"$TMP/bench.log" 2>&1 ||
  die "php-fpm rejects its config (see $TMP/bench.log)"
setsid "$PHP_FPM" -F -y "$B/php-fpm.conf" -d expose_php=0 "${fpm_flags[@]+"${fpm_flags[@]}"}" \
  >>"$TMP/logs/php-fpm.out" 2>&1 </dev/null &
PHP_FPM_PID=$!
wait_for 10 php-fpm test -S "$B/php.sock"

nginx -t -q -e "$TMP/logs/baseline-nginx-error.log" -p "$B" -c "$B/nginx.conf" >>"$TMP/bench.log" 2>&1 ||
  die "the baseline nginx rejects its config (see $TMP/bench.log)"
setsid nginx -e "$TMP/logs/baseline-nginx-error.log" -p "$B" -c "$B/nginx.conf" -g 'daemon off;' \
  >>"$TMP/logs/baseline-nginx.out" 2>&1 </dev/null &
BASE_NGINX_PID=$!
wait_for 10 "the baseline nginx" curl -sf -o /dev/null "$BASE_URL/bench/static/${LABELS[0]}"
log "baselines on $BASE_URL (static, and PHP-FPM with $PHP_WORKERS workers)"

# ---- preflight: every target answers 2xx; the bodies match ------------------------
TARGETS=(portal static php)
target_url() { # target_url TARGET INDEX
  case "$1" in
    portal) printf '%s%s' "$PORTAL_URL" "${PATHS[$2]}";;
    *) printf '%s/bench/%s/%s' "$BASE_URL" "$1" "${LABELS[$2]}";;
  esac
}
target_masters() { # target_masters TARGET: the master pids whose children to sample
  case "$1" in
    portal) printf '%s\n' "${MODULE_MASTERS[@]}";;
    static) echo "$BASE_NGINX_PID";;
    php) echo "$PHP_FPM_PID";;
  esac
}
declare -A NOTES
for i in "${!LABELS[@]}"; do
  label=${LABELS[$i]}
  mapfile -t hargs < <(header_args "$i")
  for t in $(targets_of "$i"); do
    [ "$t" != portal ] || continue
    code=$(curl -sS "${hargs[@]+"${hargs[@]}"}" -o "$R/$label.$t.body" -w '%{http_code}' "$(target_url "$t" "$i")") ||
      die "cannot fetch the $t baseline for $label"
    [[ $code =~ ^2 ]] || die "the $t baseline for $label answered $code (logs in $TMP/logs/)"
    if ! cmp -s "$R/$label.$t.body" "$B/static/$label"; then
      NOTES[$label.$t]="body differs from the portal's ($(stat -c %s "$R/$label.$t.body") vs ${BODYSIZE[$label]} bytes)"
      log "warning: $label: the $t body differs from the portal's"
    fi
  done
done

# ---- 4. the load ---------------------------------------------------------------
# access_log TARGET: the nginx access log (combined format) of that target
access_log() {
  case "$1" in
    portal) printf '%s' "$TMP/logs/nginx-access.log";;
    *) printf '%s' "$TMP/logs/baseline-nginx-access.log";;
  esac
}
file_size() { stat -c %s "$1" 2>/dev/null || echo 0; }
# status_counts LOG FROM TO: "BENCH http_4xx N" and "BENCH http_5xx N" for
# the log lines written between byte offsets FROM and TO.  A 499 (wrk closing
# its connections at the end of the run with a request in flight) is no answer.
status_counts() {
  tail -c +$(($2 + 1)) "$1" 2>/dev/null | head -c $(($3 - $2)) | awk -F'"' '
    { split($3, a, " "); s = a[1] + 0 }
    s >= 400 && s < 500 && s != 499 { c4++ }
    s >= 500 { c5++ }
    END { printf "BENCH http_4xx %d\nBENCH http_5xx %d\n", c4, c5 }'
}

# run_wrk TARGET INDEX SECONDS OUT: one bounded wrk run; fails when wrk fails
# or reports no requests at all.  Appends the status counts from the
# target's access log to OUT.
run_wrk() {
  local t=$1 i=$2 secs=$3 out=$4 rc=0 hargs log from
  mapfile -t hargs < <(header_args "$i")
  log=$(access_log "$t"); from=$(file_size "$log")
  BENCH_METHOD=$(wrk_method "$t" "$i") BENCH_RUN_ID="${LABELS[$i]}-$t-$(date +%s%N)" timeout -k 5 $((secs + 30)) \
    wrk -t"$BENCH_THREADS" -c"$BENCH_CONNECTIONS" -d"${secs}s" --timeout 5s --latency \
        -s "$(wrk_script "$t" "$i")" "${hargs[@]+"${hargs[@]}"}" "$(target_url "$t" "$i")" >"$out" 2>&1 &
  WRK_PID=$!
  wait "$WRK_PID" || rc=$?
  WRK_PID=""
  [ "$rc" -eq 0 ] || die "wrk against $t for ${LABELS[$i]} failed (exit $rc): $(tail -n 3 "$out")"
  grep -q '^BENCH requests [1-9]' "$out" ||
    die "wrk against $t for ${LABELS[$i]} completed no request: $(tail -n 3 "$out")"
  sleep 0.2   # let nginx finish logging the last answers
  status_counts "$log" "$from" "$(file_size "$log")" >>"$out"
}

# cpu_groups TARGET: "name pid..." lines, the processes that serve TARGET;
# each pid counts with its children (workers).
cpu_groups() {
  case "$1" in
    portal) echo "nginx $(cat "$TMP/pids/nginx.pid")"
            echo "modules ${MODULE_MASTERS[*]}"
            echo "redis $(cat "$TMP/pids/redis.pid")"
            # the e-mail worker: the events the writes make are sent during the load
            [ -f "$TMP/pids/notify.pid" ] && echo "notify $(cat "$TMP/pids/notify.pid")"
            local m
            for m in "${!MODULE_NAMES[@]}"; do echo "mod-${MODULE_NAMES[$m]} ${MODULE_MASTERS[$m]}"; done;;
    static) echo "nginx $BASE_NGINX_PID";;
    php)    echo "nginx $BASE_NGINX_PID"
            echo "php-fpm $PHP_FPM_PID"
            echo "redis $(cat "$TMP/pids/redis.pid")";;
  esac
}
# cpu_snapshot TARGET: "name ticks" lines (user+system clock ticks so far,
# all threads), then "machine busy total" from /proc/stat.
cpu_snapshot() {
  local name pids p
  while read -r name pids; do
    # shellcheck disable=SC2086
    for p in $pids $(children_of $pids); do
      sed 's/^.*) //' "/proc/$p/stat" 2>/dev/null || true
    done | awk -v n="$name" '{ s += $12 + $13 } END { print n, s + 0 }'
  done < <(cpu_groups "$1")
  awk '$1 == "cpu" { t = 0; for (i = 2; i <= NF; i++) t += $i; print "machine", t - $5 - $6, t; exit }' /proc/stat
}
# cpu_report BEFORE AFTER: "name percent-of-one-core ticks" lines, and the
# machine's busy share of all its CPUs.
cpu_report() {
  awk -v hz="$(getconf CLK_TCK)" -v ncpu="$(nproc)" '
    NR == FNR { a[$1] = $2; at[$1] = $3; next }
    $1 == "machine" { dt = $3 - at[$1]; if (dt > 0) m = sprintf("%.0f", 100 * ($2 - a[$1]) / dt); next }
    { d[$1] = $2 - a[$1]; order[++n] = $1 }
    END {
      # the machine line gives elapsed ticks across all CPUs: elapsed = dt / ncpu
      for (i = 1; i <= n; i++) printf "%s %.0f %d\n", order[i], (dt > 0 ? 100 * d[order[i]] / (dt / ncpu) : 0), d[order[i]]
      print "machine", m
    }' "$1" "$2"
}

# row_module INDEX: the CPU group of the module serving endpoint INDEX
# ("mod-NAME" for /api/v1/NAME/..., else "modules": all of them)
row_module() {
  local p=${PATHS[$1]} m
  if [[ $p =~ ^/api/v1/([a-z]+)/ ]]; then
    for m in "${MODULE_NAMES[@]}"; do [ "$m" != "${BASH_REMATCH[1]}" ] || { echo "mod-$m"; return 0; }; done
  fi
  echo modules
}
field() { awk -v k="$2" '$1 == "BENCH" && $2 == k { print $3 }' "$1"; }
median() { sort -g | awk '{ a[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

pairs=0
for i in "${!LABELS[@]}"; do pairs=$((pairs + $(targets_of "$i" | wc -l))); done
total_runs=$(( pairs * BENCH_ROUNDS ))
est=$(( pairs * (BENCH_ROUNDS * BENCH_SECONDS + BENCH_WARMUP) ))
log "$total_runs runs of ${BENCH_SECONDS}s at $BENCH_CONNECTIONS connections (about ${est}s of load)"
load_started=$SECONDS
for i in "${!LABELS[@]}"; do
  label=${LABELS[$i]}
  mapfile -t TARGETS < <(targets_of "$i")
  if [ "$BENCH_WARMUP" -gt 0 ]; then
    for t in "${TARGETS[@]}"; do run_wrk "$t" "$i" "$BENCH_WARMUP" "$R/$label.$t.warmup"; done
  fi
  for round in $(seq 1 "$BENCH_ROUNDS"); do
    for t in "${TARGETS[@]}"; do
      mapfile -t masters < <(target_masters "$t")
      rss_sampler "$R/$label.$t.rss" "${masters[@]}" &
      SAMPLER_PID=$!
      cpu_snapshot "$t" >"$R/cpu.before"
      run_wrk "$t" "$i" "$BENCH_SECONDS" "$R/$label.$t.$round"
      cpu_snapshot "$t" >"$R/cpu.after"
      cpu_report "$R/cpu.before" "$R/cpu.after" >"$R/$label.$t.$round.cpu"
      stop_pid "$SAMPLER_PID" "rss sampler"; SAMPLER_PID=""
      rss_sample "${masters[@]}" >>"$R/$label.$t.rss"   # and once straight after the load
      log "$label $t round $round: $(field "$R/$label.$t.$round" rps) req/s," \
          "4xx $(field "$R/$label.$t.$round" http_4xx), 5xx $(field "$R/$label.$t.$round" http_5xx)," \
          "sock $(field "$R/$label.$t.$round" err_socket)"
    done
  done
done
log "the load took $((SECONDS - load_started)) s"

# ---- 5. the table ----------------------------------------------------------------
RESULTS="$BUILD/bench-results.txt"
REPORT="$TMP/report.txt"
declare -A RPS P50 P99 ERR4 ERR5 ERRSOCK RSS PRIV BPR
for i in "${!LABELS[@]}"; do
  label=${LABELS[$i]}
  for t in $(targets_of "$i"); do
    files=()
    for round in $(seq 1 "$BENCH_ROUNDS"); do files+=("$R/$label.$t.$round"); done
    k="$label.$t"
    RPS[$k]=$(for f in "${files[@]}"; do field "$f" rps; done | median)
    P50[$k]=$(for f in "${files[@]}"; do field "$f" p50_us; done | median)
    P99[$k]=$(for f in "${files[@]}"; do field "$f" p99_us; done | median)
    BPR[$k]=$(for f in "${files[@]}"; do field "$f" bytes_per_response; done | median | awk '{ printf "%.0f", $1 }')
    ERR4[$k]=$(for f in "${files[@]}"; do field "$f" http_4xx; done | awk '{ s += $1 } END { print s + 0 }')
    ERR5[$k]=$(for f in "${files[@]}"; do field "$f" http_5xx; done | awk '{ s += $1 } END { print s + 0 }')
    ERRSOCK[$k]=$(for f in "${files[@]}"; do field "$f" err_socket; done | awk '{ s += $1 } END { print s + 0 }')
    RSS[$k]=$(awk '$2 > m { m = $2 } END { if (m) printf "%.1f", m / 1024; else print "?" }' "$R/$label.$t.rss" 2>/dev/null || echo "?")
    PRIV[$k]=$(awk '$3 > m { m = $3 } END { if (m) printf "%.1f", m / 1024; else print "?" }' "$R/$label.$t.rss" 2>/dev/null || echo "?")
  done
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
ge() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 >= b + 0) }'; }
le() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 <= b + 0) }'; }
pf() { if "$@"; then echo PASS; else echo MISS; fi; }

{
  rev=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
  w=8; for label in "${LABELS[@]}"; do [ ${#label} -le "$w" ] || w=${#label}; done
  echo "Portal benchmark  $(date -u '+%Y-%m-%d %H:%M UTC')  commit $rev  $(nproc) CPUs"
  echo "wrk -t$BENCH_THREADS -c$BENCH_CONNECTIONS -d${BENCH_SECONDS}s, $BENCH_ROUNDS round(s) interleaved portal/static/php after ${BENCH_WARMUP}s warm-up; medians shown"
  echo "portal: ${#MODULE_MASTERS[@]} module(s), $PORTAL_THREADS_NOTE x 4 threads; php: PHP-FPM 8.2 pm static $PHP_WORKERS workers, phpredis pconnect, 1 GET per request"
  echo "RSS: max seen per worker, sampled every 0.5 s (portal: module workers; static: nginx workers; php: FPM workers);"
  echo "     RSS counts shared library pages too, priv only the worker's own (Private_Clean + Private_Dirty)"
  echo "answers: 4xx and 5xx counted from each target's nginx access log (499 = wrk hanging up at the end, not counted);"
  echo "     sock = wrk's connect/read/write/timeout errors; all summed over rounds.  A 4xx may be an expected answer of"
  echo "     the benchmark's design (see the notes); the targets' \"0 errors\" count 4xx + 5xx + sock"
  echo "POST rows: static = a GET of a file the size of the portal's typical answer; no PHP baseline (-)"
  echo
  printf "%-${w}s %-7s %10s %8s %8s %6s %5s %5s %8s %9s %7s %9s %7s\n" \
    endpoint target "req/s" "p50 ms" "p99 ms" 4xx 5xx sock "RSS MiB" "priv MiB" "B/resp" "x static" "x php"
  for i in "${!LABELS[@]}"; do
    label=${LABELS[$i]}
    for t in portal static php; do
      k="$label.$t"
      if [ -z "${RPS[$k]:-}" ]; then
        printf "%-${w}s %-7s %10s %8s %8s %6s %5s %5s %8s %9s %7s %9s %7s\n" "$label" "$t" - - - - - - - - - "" ""
        continue
      fi
      rs="" rp=""
      if [ "$t" = portal ]; then
        rs="$(ratio "${RPS[$k]}" "${RPS[$label.static]}")x"
        if [ -n "${RPS[$label.php]:-}" ]; then rp="$(ratio "${RPS[$k]}" "${RPS[$label.php]}")x"; else rp="-"; fi
      fi
      printf "%-${w}s %-7s %10.0f %8.2f %8.2f %6s %5s %5s %8s %9s %7s %9s %7s\n" "$label" "$t" "${RPS[$k]}" \
        "$(awk -v u="${P50[$k]}" 'BEGIN { print u / 1000 }')" \
        "$(awk -v u="${P99[$k]}" 'BEGIN { print u / 1000 }')" \
        "${ERR4[$k]}" "${ERR5[$k]}" "${ERRSOCK[$k]}" "${RSS[$k]}" "${PRIV[$k]}" "${BPR[$k]}" "$rs" "$rp"
    done
  done
  echo
  for i in "${!LABELS[@]}"; do
    label=${LABELS[$i]}
    if [ -n "${LUAS[$i]}" ]; then
      echo "  $label = ${METHODS[$i]} ${PATHS[$i]}${HEADERS[$i]:+ (with ${HEADERS[$i]%%:*} header)}, requests built by ${LUAS[$i]#"$ROOT"/}"
      echo "    static baseline: a GET of a ${BODYSIZE[$label]}-byte ${CTYPE[$label]} file, the portal's median 2xx answer in a probe run (answers: ${PROBE_STATUSES[$label]}); no php baseline"
    else
      echo "  $label = ${METHODS[$i]} ${PATHS[$i]}${HEADERS[$i]:+ (with ${HEADERS[$i]%%:*} header)}: ${BODYSIZE[$label]}-byte body, ${CTYPE[$label]}; php baseline $( [ "${PHPMODE[$label]}" = json ] && echo "json_encode()s it" || echo "echoes the bytes")"
    fi
    for t in static php; do
      [ -z "${NOTES[$label.$t]:-}" ] || echo "    note: $t ${NOTES[$label.$t]}"
    done
  done
  for n in "${BENCH_NOTES[@]+"${BENCH_NOTES[@]}"}"; do echo "  $n"; done
  if [ ${#BENCH_ROWS[@]} -gt 0 ]; then
    echo
    echo "Measured in the set-up, not with wrk (reported, no target):"
    for n in "${BENCH_ROWS[@]}"; do echo "  $n"; done
  fi
  echo
  echo "CPU while loaded (% of one core, median over rounds; $(nproc) CPUs shared with wrk and the sampler):"
  for i in "${!LABELS[@]}"; do
    label=${LABELS[$i]}
    for t in $(targets_of "$i"); do
      line=$(for round in $(seq 1 "$BENCH_ROUNDS"); do cat "$R/$label.$t.$round.cpu"; done | awk '
        !($1 in seen) { seen[$1] = 1; order[++n] = $1 }
        { v[$1, ++c[$1]] = $2 }
        END {
          for (i = 1; i <= n; i++) {
            k = order[i]; m = c[k]
            for (x = 1; x <= m; x++) a[x] = v[k, x]
            # insertion sort; m is the number of rounds (<= 20)
            for (x = 2; x <= m; x++) { y = a[x]; z = x - 1; while (z > 0 && a[z] > y) { a[z + 1] = a[z]; z-- } a[z + 1] = y }
            med = (m % 2) ? a[(m + 1) / 2] : (a[m / 2] + a[m / 2 + 1]) / 2
            if (k == "machine") tail = sprintf("; machine %.0f%% busy", med)
            else if (k ~ /^mod-/) continue
            else out = out sprintf("%s%s %.0f", (out == "" ? "" : ", "), k, med)
          }
          print out tail
        }')
      printf "  %-${w}s %-7s %s\n" "$label" "$t" "$line"
    done
  done
  echo
  echo "Module CPU per request (the row's module's workers' user+system CPU / the run's requests, median over"
  echo "rounds; clock ticks of $((1000 / $(getconf CLK_TCK))) ms; a regression shows here even when the machine is noisy):"
  for i in "${!LABELS[@]}"; do
    label=${LABELS[$i]}; grp=$(row_module "$i")
    us=$(for round in $(seq 1 "$BENCH_ROUNDS"); do
           n=$(field "$R/$label.portal.$round" requests)
           awk -v g="$grp" -v n="$n" -v hz="$(getconf CLK_TCK)" '$1 == g && n > 0 { printf "%.1f\n", $3 * 1e6 / hz / n }' \
             "$R/$label.portal.$round.cpu"
         done | median)
    printf "  %-${w}s %-16s %8s us/request\n" "$label" "${grp#mod-}" "$us"
  done
  echo
  echo "Targets (issue 19: $BENCH_CONNECTIONS connections, the same run; reported, not asserted; errors = 4xx + 5xx + sock):"
  goal_line() { printf "  %-4s %-${w}s %-34s %s\n" "$@"; }
  me_rps=${RPS[me.portal]:-}
  errs_of() { echo $(( ${ERR4[$1]} + ${ERR5[$1]} + ${ERRSOCK[$1]} )); }
  for label in "${GOAL_ENDPOINTS[@]+"${GOAL_ENDPOINTS[@]}"}"; do
    k="$label.portal"
    [ -n "${RPS[$k]:-}" ] || continue
    if [ "$label" = me ]; then
      rs=$(ratio "${RPS[$k]}" "${RPS[$label.static]}")
      goal_line "$(pf ge "$rs" "$GOAL_VS_STATIC")" "$label" "portal >= $GOAL_VS_STATIC x static req/s" "(${rs}x)"
    elif [ -n "$me_rps" ]; then
      rm=$(ratio "${RPS[$k]}" "$me_rps")
      goal_line "$(pf ge "$rm" "$GOAL_READ_VS_ME")" "$label" "read >= $GOAL_READ_VS_ME x me req/s" "(${rm}x: $(printf '%.0f' "${RPS[$k]}") vs $(printf '%.0f' "$me_rps"))"
    else
      goal_line "?" "$label" "read >= $GOAL_READ_VS_ME x me req/s" "(me not measured)"
    fi
    if [ -n "${RPS[$label.php]:-}" ]; then
      rp=$(ratio "${RPS[$k]}" "${RPS[$label.php]}")
      goal_line "$(pf ge "$rp" "$GOAL_VS_PHP")" "$label" "portal >= $GOAL_VS_PHP x PHP-FPM req/s" "(${rp}x)"
    fi
    p99=$(awk -v u="${P99[$k]}" 'BEGIN { printf "%.1f", u / 1000 }')
    goal_line "$(pf le "$p99" "$GOAL_P99_MS")" "$label" "p99 <= $GOAL_P99_MS ms" "($p99 ms)"
    e=$(errs_of "$k")
    goal_line "$( [ "$e" -eq 0 ] && echo PASS || echo MISS)" "$label" "0 errors" "($e: ${ERR4[$k]} 4xx, ${ERR5[$k]} 5xx, ${ERRSOCK[$k]} sock)"
  done
  for label in "${WRITE_ENDPOINTS[@]+"${WRITE_ENDPOINTS[@]}"}"; do
    k="$label.portal"
    [ -n "${RPS[$k]:-}" ] || continue
    if [ -n "$me_rps" ]; then
      rm=$(ratio "${RPS[$k]}" "$me_rps")
      goal_line "$(pf ge "$rm" "$GOAL_WRITE_VS_ME")" "$label" "write >= $GOAL_WRITE_VS_ME x me req/s" "(${rm}x: $(printf '%.0f' "${RPS[$k]}") vs $(printf '%.0f' "$me_rps"))"
    else
      goal_line "?" "$label" "write >= $GOAL_WRITE_VS_ME x me req/s" "(me not measured)"
    fi
    e=$(errs_of "$k")
    goal_line "$( [ "$e" -eq 0 ] && echo PASS || echo MISS)" "$label" "0 errors" "($e: ${ERR4[$k]} 4xx, ${ERR5[$k]} 5xx, ${ERRSOCK[$k]} sock)"
  done
  for label in "${LABELS[@]}"; do
    k="$label.portal"
    goal_line "$( [ "${RSS[$k]}" != "?" ] && le "${RSS[$k]}" "$GOAL_RSS_MIB" && echo PASS || echo MISS)" "$label" \
      "each worker <= $GOAL_RSS_MIB MiB RSS" "(max ${RSS[$k]} MiB VmRSS, ${PRIV[$k]} MiB private)"
  done
  if [ ${#BENCH_CHECKS[@]} -gt 0 ]; then
    echo
    echo "Invariants after the run (the data the writes changed, checked in Redis):"
    for check in "${BENCH_CHECKS[@]}"; do "$check" | sed 's/^/  /'; done
  fi
  if [ ${#COST_RATIOS[@]} -gt 0 ]; then
    echo
    echo "Cost ratios (cost of a request = 1 / portal req/s at $BENCH_CONNECTIONS connections, i.e. server time per request at saturation):"
    for line in "${COST_RATIOS[@]}"; do
      read -r big small max <<<"$line"
      if [ -z "${RPS[$big.portal]:-}" ] || [ -z "${RPS[$small.portal]:-}" ]; then
        echo "  ?    cost($big) <= $max x cost($small): not measured"; continue
      fi
      c=$(ratio "${RPS[$small.portal]}" "${RPS[$big.portal]}")
      l=$(ratio "${P50[$big.portal]}" "${P50[$small.portal]}")
      printf '  %-4s cost(%s) <= %s x cost(%s)  (%sx: %.0f vs %.0f req/s; p50 %sx)\n' \
        "$(pf le "$c" "$max")" "$big" "$max" "$small" "$c" "${RPS[$big.portal]}" "${RPS[$small.portal]}" "$l"
    done
  fi
} >"$REPORT"

cat "$REPORT"
cp "$REPORT" "$RESULTS"
log "written to $RESULTS"
