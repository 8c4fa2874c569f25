# shellcheck shell=bash
# setup-training.sh - sourced by tests/bench/run.sh after setup.sh (same
# shell, set -euo pipefail; PORTAL_URL, STACK_DIR, REDIS_SOCK available).
#
# Adds the training module's endpoints:
#   training-sessions  GET /api/v1/training/sessions (the listing, ~100 sessions)
#   training-session   GET /api/v1/training/sessions/<id> (one session, Lua view)
#   training-book      POST /api/v1/training/sessions/<id>/bookings via
#                      tests/bench/training-book.lua
# It signs in as the coordinator (one POST), creates BENCH_TRAINING_SESSIONS
# fresh sessions for this run (capacity 500 each) through the API, and
# writes their ids into the wrk script's environment.
#
# Booking design: wrk repeats one user's requests, and a person may book a
# session once.  So each request books the NEXT fresh session (the script
# walks the list of session ids round-robin): the first pass over the list
# measures the real confirm path (Lua script, seat counters, index, audit);
# once every session is booked, later requests measure the 409
# already_booked answer, which runs the same script up to its check.  With
# the default 2000 sessions a short run stays mostly on the confirm path.

tr_jar="$STACK_DIR/bench-training-signin.headers"
tr_code=$(curl -sS -o "$STACK_DIR/bench-training-signin.json" -D "$tr_jar" -w '%{http_code}' \
  -H 'Content-Type: application/json' \
  --data '{"username":"coordinator","password":"Demo-Portal-1"}' \
  "$PORTAL_URL/api/v1/auth/login") || tr_code=000
tr_cookie=$(awk 'tolower($1) == "set-cookie:" { sub(/\r$/, ""); split($2, a, ";"); print a[1]; exit }' "$tr_jar")
tr_csrf=$(sed -n 's/.*"csrf_token":"\([0-9a-f]*\)".*/\1/p' "$STACK_DIR/bench-training-signin.json")
if [ "$tr_code" != 200 ] || [ -z "$tr_cookie" ] || [ -z "$tr_csrf" ]; then
  echo "bench: setup-training.sh: sign-in as coordinator answered $tr_code; see $STACK_DIR/logs/" >&2
  exit 1
fi

tr_count=${BENCH_TRAINING_SESSIONS:-2000}
tr_ids=""
tr_start=$(( $(date +%s) + 60 * 86400 ))
for ((tr_i = 0; tr_i < tr_count; tr_i++)); do
  tr_s=$(date -u -d "@$(( tr_start + tr_i * 60 ))" +%Y-%m-%dT%H:%M:%SZ)
  tr_e=$(date -u -d "@$(( tr_start + tr_i * 60 + 7200 ))" +%Y-%m-%dT%H:%M:%SZ)
  tr_body=$(curl -sS -H 'Content-Type: application/json' -H "Cookie: $tr_cookie" -H "X-CSRF-Token: $tr_csrf" \
    --data "{\"course_id\":1,\"starts_at\":\"$tr_s\",\"ends_at\":\"$tr_e\",\"venue\":\"Bench room\",\"capacity\":500}" \
    "$PORTAL_URL/api/v1/training/sessions")
  tr_id=$(printf '%s' "$tr_body" | sed -n 's/^{"session":{"id":"\([0-9]*\)".*/\1/p')
  if [ -z "$tr_id" ]; then
    echo "bench: setup-training.sh: creating a session failed: $tr_body" >&2
    exit 1
  fi
  tr_ids="$tr_ids${tr_ids:+,}$tr_id"
done
tr_first=${tr_ids%%,*}

ENDPOINTS+=("training-sessions GET /api/v1/training/sessions Cookie: $tr_cookie")
ENDPOINTS+=("training-session GET /api/v1/training/sessions/$tr_first Cookie: $tr_cookie")
# the wrk script reads the ids, cookie and token from the environment
export BENCH_TRAINING_SESSION_IDS="$tr_ids" BENCH_TRAINING_COOKIE="$tr_cookie" BENCH_TRAINING_CSRF="$tr_csrf"
ENDPOINTS+=("training-book POST /api/v1/training/sessions/$tr_first/bookings lua=tests/bench/training-book.lua Cookie: $tr_cookie")
unset tr_jar tr_code tr_cookie tr_csrf tr_count tr_ids tr_start tr_i tr_s tr_e tr_body tr_id tr_first
