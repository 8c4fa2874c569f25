# setup.example.sh - how to add endpoints to `make bench` (copy to setup.sh).
#
# tests/bench/run.sh sources tests/bench/setup.sh, when it exists, after the
# portal stack is up and before it fetches anything.  It runs in run.sh's
# shell (bash, set -euo pipefail), so a failing command stops the benchmark.
# Available: PORTAL_URL (http://127.0.0.1:PORT), STACK_DIR, REDIS_SOCK,
# BENCH_SESSION_KEY, and curl / redis-cli.  You may change:
#
#   ENDPOINTS      append "label METHOD PATH [Header: value]" lines; label is
#                  [a-z0-9_-]+, METHOD is GET; the header goes to all targets
#   BENCH_HEADERS  headers sent with every request of every endpoint
#   BENCH_SESSION_JSON  the value the PHP-FPM baseline GETs from Redis on
#                  each request (make it the size of the portal's session)
#
# Example, for when sign-in exists (the paths and names below are the ones
# the sign-in issue plans; check them against modules/auth before use):

jar="$STACK_DIR/bench-cookies.txt"
curl -sS -f -c "$jar" -o /dev/null \
  -H 'Content-Type: application/json' \
  --data '{"username":"responder.police","password":"Demo-Portal-1"}' \
  "$PORTAL_URL/api/v1/auth/login"
cookie=$(awk '$6 == "portal_session" { print $6 "=" $7 }' "$jar")
[ -n "$cookie" ] || { echo "setup.sh: sign-in gave no session cookie" >&2; exit 1; }
ENDPOINTS+=("me GET /api/v1/auth/me Cookie: $cookie")

# Let PHP read a value as large as the portal's own session record:
# BENCH_SESSION_JSON=$(redis-cli -s "$REDIS_SOCK" --scan --pattern 'portal:session:*' | head -n 1 |
#                      xargs -r redis-cli -s "$REDIS_SOCK" GET)
