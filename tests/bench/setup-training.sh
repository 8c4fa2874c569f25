# shellcheck shell=bash
# setup-training.sh - sourced by tests/bench/run.sh after setup.sh (same
# shell, set -euo pipefail; PORTAL_URL, STACK_DIR, REDIS_SOCK,
# BENCH_STATE_DIR available).
#
# Adds the training module's endpoints:
#   training-sessions  GET /api/v1/training/sessions (the listing, at most 100
#                      sessions) as a bench First Responder: an authenticated
#                      read, so the issue's goals are checked for it too
#   training-session   GET /api/v1/training/sessions/<id> (one session)
#   training-book      POST /api/v1/training/sessions/<id>/bookings via
#                      tests/bench/training-book.lua
#
# Booking design: a person may book a session once (a second try answers 409
# already_booked), so one user repeating requests would measure the 409
# path after the first pass.  Instead every measured request is a real,
# confirmed booking of a fresh (user, session) pair:
#   - BENCH_TRAINING_USERS (default 200) bench First Responders are added to
#     the stack's own LDAP (ou=people, members of cn=responders; one ldapadd)
#     and signed in (one curl, keep-alive; the bench stack's sign-in rate
#     limit is raised by run.sh);
#   - BENCH_TRAINING_SESSIONS (default 500) sessions are created through the
#     API as the coordinator (one curl), capacity 500 (>= the users, so every
#     booking is confirmed, none waitlisted);
#   - training-book.lua walks the pairs user-fastest (each session takes the
#     users' bookings one after another) and keeps its place between wrk
#     runs in BENCH_STATE_DIR, so no pair is booked twice.
# U x S = 100,000 pairs by default, well above the bookings of a default run
# (a probe, a warm-up and the measured rounds, a few thousand a second);
# once the pairs are used up the walk starts again and the answers become
# 409s, which the table's 4xx column would show.  Setup takes a few seconds.

tr_users=${BENCH_TRAINING_USERS:-200}
tr_count=${BENCH_TRAINING_SESSIONS:-500}
[[ $tr_users =~ ^[0-9]+$ ]] && [ "$tr_users" -ge 1 ] && [ "$tr_users" -le 500 ] || {
  echo "bench: setup-training.sh: BENCH_TRAINING_USERS must be 1-500 (a session's capacity)" >&2; exit 1; }
[[ $tr_count =~ ^[0-9]+$ ]] && [ "$tr_count" -ge 1 ] && [ "$tr_count" -le 5000 ] || {
  echo "bench: setup-training.sh: BENCH_TRAINING_SESSIONS must be 1-5000" >&2; exit 1; }
tr_dir="$STACK_DIR/bench-training"
mkdir -p "$tr_dir"

# ---- the coordinator creates the sessions ------------------------------------
tr_jar="$tr_dir/coordinator.headers"
tr_code=$(curl -sS -o "$tr_dir/coordinator.json" -D "$tr_jar" -w '%{http_code}' \
  -H 'Content-Type: application/json' \
  --data '{"username":"coordinator","password":"Demo-Portal-1"}' \
  "$PORTAL_URL/api/v1/auth/login") || tr_code=000
tr_cookie=$(awk 'tolower($1) == "set-cookie:" { sub(/\r$/, ""); split($2, a, ";"); print a[1]; exit }' "$tr_jar")
tr_csrf=$(sed -n 's/.*"csrf_token":"\([0-9a-f]*\)".*/\1/p' "$tr_dir/coordinator.json")
if [ "$tr_code" != 200 ] || [ -z "$tr_cookie" ] || [ -z "$tr_csrf" ]; then
  echo "bench: setup-training.sh: sign-in as coordinator answered $tr_code; see $STACK_DIR/logs/" >&2
  exit 1
fi

# One curl, one keep-alive connection, one request per session (a curl
# config file: "next" separates the requests).  Sessions start 60 days on,
# one a minute, two hours long.
tr_start=$(( $(date +%s) + 60 * 86400 ))
(
  export TZ=UTC
  for ((tr_i = 0; tr_i < tr_count; tr_i++)); do
    [ "$tr_i" -eq 0 ] || echo next
    printf 'url = "%s/api/v1/training/sessions"\n' "$PORTAL_URL"
    printf 'header = "Content-Type: application/json"\nheader = "Cookie: %s"\nheader = "X-CSRF-Token: %s"\n' "$tr_cookie" "$tr_csrf"
    printf 'data = "{\\"course_id\\":1,\\"starts_at\\":\\"%(%Y-%m-%dT%H:%M:%SZ)T\\",\\"ends_at\\":\\"%(%Y-%m-%dT%H:%M:%SZ)T\\",\\"venue\\":\\"Bench room\\",\\"capacity\\":500}"\n' \
      $(( tr_start + tr_i * 60 )) $(( tr_start + tr_i * 60 + 7200 ))
    printf 'write-out = "\\n"\n'
  done
) >"$tr_dir/sessions.curl"
curl -sS -K "$tr_dir/sessions.curl" >"$tr_dir/sessions.out" || true
sed -n 's/^{"session":{"id":"\([0-9]*\)".*/\1/p' "$tr_dir/sessions.out" >"$tr_dir/sessions.txt"
if [ "$(wc -l <"$tr_dir/sessions.txt")" -ne "$tr_count" ]; then
  echo "bench: setup-training.sh: created $(wc -l <"$tr_dir/sessions.txt") of $tr_count sessions; first answer: $(head -c 300 "$tr_dir/sessions.out")" >&2
  exit 1
fi
tr_first=$(head -n 1 "$tr_dir/sessions.txt")

# ---- the bench First Responders: LDAP entries, then sign-ins ------------------
tr_ldap="ldapi://$(printf '%s' "$STACK_DIR/sock/ldapi" | sed 's,/,%2F,g')"
tr_password="Bench-Portal-$$"
{
  for ((tr_i = 1; tr_i <= tr_users; tr_i++)); do
    printf 'dn: uid=bench.responder%03d,ou=people,dc=portal,dc=example\n' "$tr_i"
    printf 'changetype: add\nobjectClass: inetOrgPerson\nuid: bench.responder%03d\n' "$tr_i"
    printf 'cn: Bench Responder %d\nsn: Responder %d\ndisplayName: Bench Responder %d\n' "$tr_i" "$tr_i" "$tr_i"
    printf 'departmentNumber: met-police\no: Metropolitan Police Service\nbusinessCategory: police\n'
    printf 'userPassword: %s\n\n' "$tr_password"
  done
  printf 'dn: cn=responders,ou=groups,dc=portal,dc=example\nchangetype: modify\nadd: member\n'
  for ((tr_i = 1; tr_i <= tr_users; tr_i++)); do
    printf 'member: uid=bench.responder%03d,ou=people,dc=portal,dc=example\n' "$tr_i"
  done
  echo
} >"$tr_dir/users.ldif"
ldapadd -x -H "$tr_ldap" -D "cn=admin,dc=portal,dc=example" -y "$STACK_DIR/ldap/admin.password" \
  -f "$tr_dir/users.ldif" >"$tr_dir/ldapadd.log" 2>&1 || {
  echo "bench: setup-training.sh: adding the bench users to LDAP failed: $(tail -n 3 "$tr_dir/ldapadd.log")" >&2
  exit 1
}

# Sign every bench user in (one curl, keep-alive): each answer's line is
# "<body>TAB<status>TAB<Set-Cookie>"; users.txt gets "cookie csrf" lines.
for ((tr_i = 1; tr_i <= tr_users; tr_i++)); do
  [ "$tr_i" -eq 1 ] || echo next
  printf 'url = "%s/api/v1/auth/login"\nheader = "Content-Type: application/json"\n' "$PORTAL_URL"
  printf 'data = "{\\"username\\":\\"bench.responder%03d\\",\\"password\\":\\"%s\\"}"\n' "$tr_i" "$tr_password"
  printf 'write-out = "\\t%%{http_code}\\t%%header{set-cookie}\\n"\n'
done >"$tr_dir/signin.curl"
curl -sS -K "$tr_dir/signin.curl" >"$tr_dir/signin.out" || true
awk -F'\t' '$2 == 200 {
    split($3, c, ";")
    if (match($1, /"csrf_token":"[0-9a-f]+"/)) print c[1], substr($1, RSTART + 14, RLENGTH - 15)
  }' "$tr_dir/signin.out" >"$tr_dir/users.txt"
if [ "$(wc -l <"$tr_dir/users.txt")" -ne "$tr_users" ]; then
  echo "bench: setup-training.sh: $(wc -l <"$tr_dir/users.txt") of $tr_users bench users signed in; statuses: $(cut -f2 "$tr_dir/signin.out" | sort | uniq -c | tr '\n' ' ')" >&2
  exit 1
fi
read -r tr_user_cookie _ <"$tr_dir/users.txt"

ENDPOINTS+=("training-sessions GET /api/v1/training/sessions Cookie: $tr_user_cookie")
ENDPOINTS+=("training-session GET /api/v1/training/sessions/$tr_first Cookie: $tr_user_cookie")
# shellcheck disable=SC2034  # read by run.sh
GOAL_ENDPOINTS+=(training-sessions)
# the wrk script reads the users and sessions from these files
export BENCH_TRAINING_USERS_FILE="$tr_dir/users.txt" BENCH_TRAINING_SESSIONS_FILE="$tr_dir/sessions.txt"
ENDPOINTS+=("training-book POST /api/v1/training/sessions/$tr_first/bookings lua=tests/bench/training-book.lua")
# shellcheck disable=SC2034  # read by run.sh
BENCH_NOTES+=("training-book: each request books a fresh (user, session) pair of $tr_users bench users x $tr_count sessions (capacity 500): a 201 confirmed booking; a 409 means the pairs ran out")
unset tr_users tr_count tr_dir tr_jar tr_code tr_cookie tr_csrf tr_start tr_i tr_first tr_ldap tr_password tr_user_cookie
