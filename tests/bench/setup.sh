# shellcheck shell=bash
# setup.sh - sourced by tests/bench/run.sh once the stack is up, before it
# fetches anything; runs in run.sh's shell (bash, set -euo pipefail), so a
# failing command stops the benchmark.  Available: PORTAL_URL
# (http://127.0.0.1:PORT), STACK_DIR, REDIS_SOCK, BENCH_SESSION_KEY, curl and
# redis-cli.  It may change:
#   ENDPOINTS       append "label METHOD PATH [lua=FILE] [Header: value]" lines;
#                   label is [a-z0-9_-]+, METHOD is GET or POST (POST needs
#                   lua=FILE, the wrk script that builds the requests; see
#                   run.sh's header); the header goes to all targets
#   GOAL_ENDPOINTS  labels the goals are checked for (authenticated reads)
#   COST_RATIOS     "BIG SMALL MAX" lines: cost(BIG) <= MAX x cost(SMALL)
#   BENCH_NOTES     lines printed under the table
#   BENCH_HEADERS   headers sent with every request of every endpoint
#   BENCH_SESSION_JSON  the value the PHP-FPM baseline GETs from Redis on
#                   each request
# Each module adds its own rows in tests/bench/setup-<module>.sh, sourced
# after this file, in name order.
#
# Adds the authenticated read the goals are about: GET /api/v1/auth/me
# with a session cookie.  Signs in once as a demo First Responder (one POST,
# well inside nginx's sign-in rate limit), and gives the PHP-FPM baseline the
# portal's own stored user record as its session value, so both sides read
# the same bytes from Redis on each request.

bench_jar="$STACK_DIR/bench-signin.headers"
bench_code=$(curl -sS -o /dev/null -D "$bench_jar" -w '%{http_code}' \
  -H 'Content-Type: application/json' \
  --data '{"username":"responder.police","password":"Demo-Portal-1"}' \
  "$PORTAL_URL/api/v1/auth/login") || bench_code=000
# The cookie is Secure, so curl's cookie jar would not replay it over plain
# HTTP on loopback: take it from the Set-Cookie header instead.
bench_cookie=$(awk 'tolower($1) == "set-cookie:" { sub(/\r$/, ""); split($2, a, ";"); print a[1]; exit }' "$bench_jar")
if [ "$bench_code" != 200 ] || [ -z "$bench_cookie" ]; then
  echo "bench: setup.sh: sign-in as responder.police answered $bench_code with no session cookie; see $STACK_DIR/logs/" >&2
  exit 1
fi
ENDPOINTS+=("me GET /api/v1/auth/me Cookie: $bench_cookie")
# shellcheck disable=SC2034  # read by run.sh
GOAL_ENDPOINTS+=(me)

# The session's stored user record (a Redis hash field), for PHP to GET.
bench_key=$(redis-cli -s "$REDIS_SOCK" --scan --pattern '*session:*' | head -n 1)
if [ -n "$bench_key" ]; then
  bench_user=$(redis-cli -s "$REDIS_SOCK" HGET "$bench_key" user)
  # shellcheck disable=SC2034  # read by run.sh
  [ -z "$bench_user" ] || BENCH_SESSION_JSON=$bench_user
fi
unset bench_jar bench_code bench_cookie bench_key bench_user
