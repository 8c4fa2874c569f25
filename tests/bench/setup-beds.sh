# shellcheck shell=bash
# setup-beds.sh - sourced by tests/bench/run.sh after setup.sh (see there for
# the interface).  Adds the beds search (an authenticated read) and hold
# placement.
#
# Search: one "Bench House" with 100 women's beds in Hackney is created for
# the run by a demo NGO, and beds-search asks for women's beds in Hackney.
#
# Holds: tests/bench/beds-hold.lua alternates "place a hold" (a fresh
# Idempotency-Key each time) with "cancel a hold placed", so every placement
# is real and the beds come back.  At most about one hold per wrk connection
# is pending at a time, plus those a run's end leaves behind (placed while
# wrk stopped; held for 1 minute, the shortest hold).  So the holds go to
# BEDS_BENCH_HOLD_HOUSES (default 4) other houses of 100 women's beds each,
# in Islington (not in the search's answer), round-robin.  A responder may
# have only PORTAL_BEDS_MAX_PENDING pending holds (default 3): run.sh starts
# the bench stack with 100000, else placements beyond 3 in flight answer 429.

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

beds_new_house() {  # beds_new_house NAME AREA -> the new house's id, 100 women's beds, all vacant
  local id
  id=$(curl -sS -H 'Content-Type: application/json' -H "Cookie: $beds_ngo_cookie" \
    -H "X-CSRF-Token: $beds_ngo_csrf" \
    --data "{\"name\":\"$1\",\"area\":\"$2\",\"groups\":{\"women\":{\"beds\":100}},\"referral_phone\":\"020 7946 0000\"}" \
    "$PORTAL_URL/api/v1/beds/safehouses" | sed -n 's/.*"id" *: *\([0-9][0-9]*\).*/\1/p' | head -n 1)
  if [ -z "$id" ]; then
    echo "bench: setup-beds.sh: the bench safehouse '$1' was not created" >&2
    exit 1
  fi
  curl -sS -o /dev/null -X PUT -H 'Content-Type: application/json' -H "Cookie: $beds_ngo_cookie" \
    -H "X-CSRF-Token: $beds_ngo_csrf" --data '{"women":100}' \
    "$PORTAL_URL/api/v1/beds/safehouses/$id/vacancies"
  printf '%s\n' "$id"
}

beds_house=$(beds_new_house "Bench House" hackney)
beds_hold_houses=""
for ((beds_i = 1; beds_i <= ${BEDS_BENCH_HOLD_HOUSES:-4}; beds_i++)); do
  beds_id=$(beds_new_house "Bench Hold House $beds_i" islington)
  beds_hold_houses="$beds_hold_houses${beds_hold_houses:+,}$beds_id"
done

ENDPOINTS+=("beds-search GET /api/v1/beds/search?group=women&area=hackney Cookie: $beds_resp_cookie")
# read by beds-hold.lua (os.getenv)
export BEDS_BENCH_CSRF=$beds_resp_csrf BEDS_BENCH_HOUSES=$beds_hold_houses
ENDPOINTS+=("beds-hold POST /api/v1/beds/safehouses/${beds_hold_houses%%,*}/holds lua=tests/bench/beds-hold.lua Cookie: $beds_resp_cookie")
# shellcheck disable=SC2034  # read by run.sh
BENCH_NOTES+=("beds-hold: requests alternate placing a hold (201) and cancelling one placed (200), as responder.police, over ${BEDS_BENCH_HOLD_HOUSES:-4} houses of 100 beds; PORTAL_BEDS_MAX_PENDING=$PORTAL_BEDS_MAX_PENDING")
unset beds_ngo_cookie beds_ngo_csrf beds_resp_cookie beds_resp_csrf beds_house beds_hold_houses beds_i beds_id
