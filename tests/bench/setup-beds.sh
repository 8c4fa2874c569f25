# shellcheck shell=bash
# setup-beds.sh - sourced by tests/bench/run.sh after setup.sh (see there for
# the interface).  Adds the beds search (an authenticated read) and hold
# placement.
#
# Holds: a safehouse with 100 women's beds is created for the run by a demo
# NGO, and tests/bench/beds-hold.lua alternates "place a hold" (fresh
# Idempotency-Key each time) with "cancel the hold just placed", so every
# placement is real and the beds come back.  A responder may have only 3
# pending holds (PORTAL_BEDS_MAX_PENDING, default 3): with more wrk
# connections than that, placements beyond 3 in flight answer 429.  For a
# placement-only measure run `PORTAL_BEDS_MAX_PENDING=100000 make bench`
# (the stack passes PORTAL_* settings through to the modules).

beds_login() {  # beds_login USER -> "cookie csrf" on stdout
  local jar="$STACK_DIR/bench-beds-$1.headers" body cookie csrf
  body=$(curl -sS -D "$jar" -H 'Content-Type: application/json' \
    --data "{\"username\":\"$1\",\"password\":\"Demo-Portal-1\"}" "$PORTAL_URL/api/v1/auth/login")
  cookie=$(awk 'tolower($1) == "set-cookie:" { sub(/\r$/, ""); split($2, a, ";"); print a[1]; exit }' "$jar")
  csrf=$(printf '%s' "$body" | sed -n 's/.*"csrf_token" *: *"\([^"]*\)".*/\1/p')
  if [ -z "$cookie" ] || [ -z "$csrf" ]; then
    echo "bench: setup-beds.sh: sign-in as $1 failed; see $STACK_DIR/logs/" >&2
    exit 1
  fi
  printf '%s %s\n' "$cookie" "$csrf"
}

read -r beds_ngo_cookie beds_ngo_csrf < <(beds_login ngo.a)
read -r beds_resp_cookie beds_resp_csrf < <(beds_login responder.police)

beds_house=$(curl -sS -H 'Content-Type: application/json' -H "Cookie: $beds_ngo_cookie" \
  -H "X-CSRF-Token: $beds_ngo_csrf" --data '{"name":"Bench House","area":"hackney","groups":{"women":{"beds":100}},"referral_phone":"020 7946 0000"}' \
  "$PORTAL_URL/api/v1/beds/safehouses" | sed -n 's/.*"id" *: *\([0-9][0-9]*\).*/\1/p' | head -n 1)
if [ -z "$beds_house" ]; then
  echo "bench: setup-beds.sh: the bench safehouse was not created" >&2
  exit 1
fi
curl -sS -o /dev/null -X PUT -H 'Content-Type: application/json' -H "Cookie: $beds_ngo_cookie" \
  -H "X-CSRF-Token: $beds_ngo_csrf" --data '{"women":100}' \
  "$PORTAL_URL/api/v1/beds/safehouses/$beds_house/vacancies"

ENDPOINTS+=("beds-search GET /api/v1/beds/search?group=women&area=hackney Cookie: $beds_resp_cookie")
# shellcheck disable=SC2034  # read by run.sh
GOAL_ENDPOINTS+=(beds-search)
# read by beds-hold.lua (os.getenv)
export BEDS_BENCH_CSRF=$beds_resp_csrf BEDS_BENCH_HOUSE=$beds_house
ENDPOINTS+=("beds-hold POST /api/v1/beds/safehouses/$beds_house/holds lua=tests/bench/beds-hold.lua Cookie: $beds_resp_cookie")
unset beds_ngo_cookie beds_ngo_csrf beds_resp_cookie beds_resp_csrf beds_house
