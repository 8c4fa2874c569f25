# shellcheck shell=bash
# setup.sh - sourced by tests/bench/run.sh once the stack is up, before it
# fetches anything; runs in run.sh's shell (bash, set -euo pipefail), so a
# failing command stops the benchmark.  Available: PORTAL_URL
# (http://127.0.0.1:PORT), STACK_DIR, REDIS_SOCK, BENCH_SESSION_KEY,
# BENCH_STATE_DIR, curl, redis-cli and ldapadd.  It may change:
#   ENDPOINTS       append "label METHOD PATH [lua=FILE] [Header: value]" lines;
#                   label is [a-z0-9_-]+, METHOD is GET or POST (POST needs
#                   lua=FILE, the wrk script that builds the requests; see
#                   run.sh's header); the header goes to all targets
#   GOAL_ENDPOINTS  labels of the authenticated reads (>= 0.5x me, p99, errors)
#   WRITE_ENDPOINTS labels of the writes (>= 0.3x me, errors)
#   BENCH_CHECKS    names of functions run.sh calls after the load; each prints
#                   "PASS|MISS what (figures)" lines (the invariant checks)
#   COST_RATIOS     "BIG SMALL MAX" lines: cost(BIG) <= MAX x cost(SMALL)
#   BENCH_NOTES     lines printed under the table
#   BENCH_HEADERS   headers sent with every request of every endpoint
#   BENCH_SESSION_JSON  the value the PHP-FPM baseline GETs from Redis on
#                   each request
# Each module adds its own rows in tests/bench/setup-<module>.sh, sourced
# after this file, in name order.
#
# This file:
#   - adds the authenticated read every target is measured against: GET
#     /api/v1/auth/me with a session cookie (a demo First Responder), and
#     gives the PHP-FPM baseline the portal's own stored user record;
#   - adds the London-scale staff: BENCH_STAFF (default 2,000) First
#     Responders of the Metropolitan Police in the stack's LDAP (one
#     ldapadd), and signs in the first BENCH_SIGNED_IN (default: all) of
#     them, in two keep-alive curls; $BENCH_STAFF_FILE gets one "cookie
#     csrf" line per signed-in person (line n = bench.staffNNNN);
#   - offers the helpers the module files use: bench_signin, bench_curl_batch,
#     bench_row (a rotating wrk row over a file of request lines, see
#     tests/bench/rows.lua).

# ---- helpers ----------------------------------------------------------------------
# bench_signin USER PASSWORD -> "cookie csrf" on stdout (one POST)
bench_signin() {
  local jar="$STACK_DIR/bench-signin-$1.headers" body cookie csrf
  body=$(curl -sS -D "$jar" -H 'Content-Type: application/json' \
    --data "{\"username\":\"$1\",\"password\":\"$2\"}" "$PORTAL_URL/api/v1/auth/login") || body=""
  cookie=$(awk 'tolower($1) == "set-cookie:" { sub(/\r$/, ""); split($2, a, ";"); print a[1]; exit }' "$jar")
  csrf=$(printf '%s' "$body" | sed -n 's/.*"csrf_token" *: *"\([0-9a-f]*\)".*/\1/p')
  if [ -z "$cookie" ] || [ -z "$csrf" ]; then
    echo "bench: sign-in as $1 failed; see $STACK_DIR/logs/" >&2
    return 1
  fi
  printf '%s %s\n' "$cookie" "$csrf"
}

# bench_curl_batch CONFIG OUT [PARTS]: run the curl config file CONFIG (requests
# separated by "next" lines, each with its own write-out) split into PARTS
# keep-alive curls at once (default 6: on a busy machine each request waits
# on the server, so more curls, not faster ones, make the set-up quick);
# their output, in request order, to OUT.
bench_curl_batch() {
  local cfg=$1 out=$2 parts=${3:-6} p pids=()
  awk -v n="$parts" -v base="$cfg" '
    BEGIN { RS = "\nnext\n"; ORS = "" }
    { reqs[NR] = $0 }
    END {
      per = int((NR + n - 1) / n)
      for (i = 1; i <= NR; i++) {
        f = base ".part" int((i - 1) / per)
        if ((i - 1) % per) print "next\n" > f
        print reqs[i] "\n" > f
      }
    }' "$cfg"
  for ((p = 0; p < parts; p++)); do
    [ -f "$cfg.part$p" ] || continue
    curl -sS -K "$cfg.part$p" >"$out.part$p" 2>>"$out.err" &
    pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p" || true; done
  for ((p = 0; p < parts; p++)); do [ -f "$out.part$p" ] && cat "$out.part$p"; done >"$out"
  rm -f "$cfg".part* "$out".part*
}

# bench_row LABEL USERS ONCE FILE... : a rotating row (tests/bench/rows.lua).
# FILEs hold request lines "METHOD<TAB>PATH<TAB>USER<TAB>BODY"; USER is a line
# number in the USERS file ("cookie csrf" lines) whose cookie and CSRF token
# the request carries (0: the endpoint line's own headers).  ONCE is "" for a
# read (the lines rotate) or a state name for a write (each line is used once
# over the row's runs).  Optional, before the files: record=PATTERNS=FORMAT
# (on a 2xx answer, the captures of the Lua PATTERNS, separated by ";;",
# each matched on its own, in the body go through
# string.format(FORMAT, captures...) into FILE0.recorded.THREAD, the request
# lines another row can use).  Appends the ENDPOINTS line (METHOD PATH of the
# first line of the first FILE that exists; a write's METHOD is POST there)
# and prints nothing.
bench_row() {
  local label=$1 users=$2 once=$3 stub record="" f first method path
  shift 3
  if [[ ${1:-} == record=* ]]; then record=${1#record=}; shift; fi
  stub="$BENCH_STATE_DIR/row-$label.lua"
  {
    echo "-- generated by tests/bench/setup.sh for the row $label"
    printf 'ROW_USERS = %s\n' "$(bench_lua_str "$users")"
    printf 'ROW_ONCE = %s\n' "$( [ -n "$once" ] && bench_lua_str "$BENCH_STATE_DIR/$once.next" || echo nil)"
    printf 'ROW_FILES = {'
    for f in "$@"; do printf '%s, ' "$(bench_lua_str "$f")"; done
    printf '}\n'
    if [ -n "$record" ]; then
      printf 'ROW_RECORD_PATTERN = %s\n' "$(bench_lua_str "${record%%=*}")"
      printf 'ROW_RECORD_FORMAT = %s\n' "$(bench_lua_str "${record#*=}")"
      printf 'ROW_RECORD_OUT = %s\n' "$(bench_lua_str "$1.recorded")"
    fi
    printf 'dofile(%s)\n' "$(bench_lua_str "$HERE/rows.lua")"
  } >"$stub"
  first=""
  for f in "$@"; do [ -s "$f" ] && { first=$(head -n 1 "$f"); break; }; done
  [ -n "$first" ] || { echo "bench: bench_row $label: no request lines" >&2; exit 1; }
  method=${first%%$'\t'*}; path=${first#*$'\t'}; path=${path%%$'\t'*}
  [ "$method" = GET ] || method=POST   # run.sh's rule: a scripted write is a POST row
  ENDPOINTS+=("$label $method $path lua=$stub")
}
# bench_json FILE PATH...: for each line of FILE (a JSON answer, maybe
# followed by a TAB and curl's write-out), the values at the dotted PATHs
# (e.g. safehouse.id), TAB-separated; a line lacking one gives no line.
# (PHP, which run.sh needs anyway, reads the JSON: no field order assumed.)
bench_json() {
  php -r '
    $paths = array_slice($argv, 2);
    foreach (file($argv[1], FILE_IGNORE_NEW_LINES) as $line) {
      $d = json_decode(explode("\t", $line)[0], true);
      $out = [];
      foreach ($paths as $p) {
        $v = $d;
        foreach (explode(".", $p) as $k) $v = is_array($v) && array_key_exists($k, $v) ? $v[$k] : null;
        if ($v === null || is_array($v)) continue 2;
        $out[] = (string)$v;
      }
      echo implode("\t", $out), "\n";
    }' -- "$@"
}

# bench_redis_check NAME SCRIPT WHAT1 WHAT2: run the read-only Redis script
# tests/bench/SCRIPT (answers {violations, n1, n2, what is wrong...}) and
# print its PASS/MISS line for run.sh's BENCH_CHECKS.
bench_redis_check() {
  local out bad
  out=$(redis-cli -s "$REDIS_SOCK" --raw --eval "$HERE/$2" 2>&1) || out="error $out"
  bad=$(printf '%s\n' "$out" | sed -n 1p)
  if [ "$bad" = 0 ]; then
    printf 'PASS %s: 0 invariant violations (%s %s; %s %s)\n' "$1" \
      "$(printf '%s\n' "$out" | sed -n 2p)" "$3" "$(printf '%s\n' "$out" | sed -n 3p)" "$4"
  else
    printf 'MISS %s: %s invariant violations: %s\n' "$1" "$bad" "$(printf '%s\n' "$out" | sed -n '4,$p' | paste -sd ';' -)"
  fi
}
# bench_wanted LABEL...: true when BENCH_ONLY is unset or matches one of the
# labels (a module's set-up makes no data for rows that are not measured)
bench_wanted() {
  local l
  [ -n "${BENCH_ONLY:-}" ] || return 0
  for l in "$@"; do [[ $l =~ $BENCH_ONLY ]] && return 0; done
  return 1
}
bench_lua_str() { printf '"%s"' "$(printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g')"; }

# ---- me: the floor every authenticated read pays --------------------------------
read -r bench_cookie _ < <(bench_signin responder.police Demo-Portal-1)
ENDPOINTS+=("me GET /api/v1/auth/me Cookie: $bench_cookie")
GOAL_ENDPOINTS+=(me)

# The session's stored user record (the "user" field of the session's hash,
# <prefix>session:<sid>), for PHP to GET.  Other keys match the pattern too
# (a training session is <prefix>{training}:session:<id>, a hash without
# "user"): the first hash whose "user" field is a JSON object is the one.
bench_user=
while read -r bench_key; do
  [ "$(redis-cli -s "$REDIS_SOCK" TYPE "$bench_key")" = hash ] || continue
  bench_user=$(redis-cli -s "$REDIS_SOCK" HGET "$bench_key" user)
  [[ $bench_user == \{* ]] && break
  bench_user=
done < <(redis-cli -s "$REDIS_SOCK" --scan --pattern '*session:*')
# shellcheck disable=SC2034  # read by run.sh
[ -z "$bench_user" ] || BENCH_SESSION_JSON=$bench_user
unset bench_cookie bench_key bench_user

# ---- the London-scale staff ------------------------------------------------------
# (skipped, with the rows that need it, when BENCH_ONLY names none of them)
if bench_wanted training-sessions training-session training-my training-book training-cancel directory-search; then
BENCH_STAFF=${BENCH_STAFF:-2000}
BENCH_SIGNED_IN=${BENCH_SIGNED_IN:-$BENCH_STAFF}
[[ $BENCH_STAFF =~ ^[0-9]+$ ]] && [ "$BENCH_STAFF" -ge 10 ] && [ "$BENCH_STAFF" -le 9999 ] || {
  echo "bench: setup.sh: BENCH_STAFF must be 10-9999" >&2; exit 1; }
[[ $BENCH_SIGNED_IN =~ ^[0-9]+$ ]] && [ "$BENCH_SIGNED_IN" -ge 10 ] && [ "$BENCH_SIGNED_IN" -le "$BENCH_STAFF" ] || {
  echo "bench: setup.sh: BENCH_SIGNED_IN must be 10-BENCH_STAFF" >&2; exit 1; }
bench_dir="$STACK_DIR/bench-staff"
mkdir -p "$bench_dir"
bench_ldap="ldapi://$(printf '%s' "$STACK_DIR/sock/ldapi" | sed 's,/,%2F,g')"
bench_password="Bench-Portal-$$"
awk -v n="$BENCH_STAFF" -v pw="$bench_password" 'BEGIN {
  for (i = 1; i <= n; i++) {
    u = sprintf("bench.staff%04d", i)
    printf "dn: uid=%s,ou=people,dc=portal,dc=example\nchangetype: add\nobjectClass: inetOrgPerson\n", u
    printf "uid: %s\ncn: Bench Staff %d\nsn: Staff %d\ndisplayName: Bench Staff %d\n", u, i, i, i
    printf "departmentNumber: met-police\no: Metropolitan Police Service\nbusinessCategory: police\n"
    printf "userPassword: %s\n\n", pw
  }
  printf "dn: cn=responders,ou=groups,dc=portal,dc=example\nchangetype: modify\nadd: member\n"
  for (i = 1; i <= n; i++) printf "member: uid=bench.staff%04d,ou=people,dc=portal,dc=example\n", i
  print ""
}' >"$bench_dir/staff.ldif"
ldapadd -x -H "$bench_ldap" -D "cn=admin,dc=portal,dc=example" -y "$STACK_DIR/ldap/admin.password" \
  -f "$bench_dir/staff.ldif" >"$bench_dir/ldapadd.log" 2>&1 || {
  echo "bench: setup.sh: adding the bench staff to LDAP failed: $(tail -n 3 "$bench_dir/ldapadd.log")" >&2
  exit 1
}
# Each answer's line: "<body>TAB<status>TAB<Set-Cookie>".
awk -v n="$BENCH_SIGNED_IN" -v url="$PORTAL_URL" -v pw="$bench_password" 'BEGIN {
  for (i = 1; i <= n; i++) {
    if (i > 1) print "next"
    printf "url = \"%s/api/v1/auth/login\"\nheader = \"Content-Type: application/json\"\n", url
    printf "data = \"{\\\"username\\\":\\\"bench.staff%04d\\\",\\\"password\\\":\\\"%s\\\"}\"\n", i, pw
    print "write-out = \"\\t%{http_code}\\t%header{set-cookie}\\n\""
  }
}' >"$bench_dir/signin.curl"
bench_curl_batch "$bench_dir/signin.curl" "$bench_dir/signin.out"
BENCH_STAFF_FILE="$bench_dir/staff.txt"
awk -F'\t' '$2 == 200 {
    split($3, c, ";")
    if (match($1, /"csrf_token":"[0-9a-f]+"/)) print c[1], substr($1, RSTART + 14, RLENGTH - 15)
  }' "$bench_dir/signin.out" >"$BENCH_STAFF_FILE"
if [ "$(wc -l <"$BENCH_STAFF_FILE")" -ne "$BENCH_SIGNED_IN" ]; then
  echo "bench: setup.sh: $(wc -l <"$BENCH_STAFF_FILE") of $BENCH_SIGNED_IN bench staff signed in; statuses: $(cut -f2 "$bench_dir/signin.out" | sort | uniq -c | tr '\n' ' ')" >&2
  exit 1
fi
BENCH_NOTES+=("data: $BENCH_STAFF bench staff in LDAP (First Responders), $BENCH_SIGNED_IN of them signed in")
unset bench_dir bench_ldap bench_password
fi
