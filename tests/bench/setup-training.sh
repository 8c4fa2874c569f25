# shellcheck shell=bash
# setup-training.sh - sourced by tests/bench/run.sh after setup.sh (same
# shell, set -euo pipefail; PORTAL_URL, STACK_DIR, REDIS_SOCK,
# BENCH_STATE_DIR, BENCH_STAFF_FILE and setup.sh's helpers available).
#
# The London-scale training data, made through the API (keep-alive curls):
#   - BENCH_TRAINING_SESSIONS (default 2,000) sessions of the demo courses,
#     created by the coordinator, capacity 100, from 30 days on, one every
#     half hour;
#   - 10 bookings by every signed-in bench staff member (2,000 x 10 = 20,000
#     with the defaults): person u books sessions 10(u-1) .. 10(u-1)+9
#     (mod the sessions), so every session starts with 10 confirmed.
# Rows (tests/bench/rows.lua, over request lines written here):
#   training-sessions  GET /api/v1/training/sessions?page=P&per_page=20
#                      [&course=C]: 50 pages x (all courses or one of 4) =
#                      250 parameter sets, as the staff in turn (the list
#                      before paging ignores page/per_page and answers its
#                      first 100; both answers are 200)
#   training-session   GET /api/v1/training/sessions/<id>, every session
#   training-my        GET /api/v1/training/bookings (my bookings), every
#                      signed-in person
#   training-book      POST .../sessions/<id>/bookings: each a fresh (person,
#                      session) pair, person u's m-th is session 10(u-1)+10+m,
#                      so no pair repeats one made before and a session
#                      gains at most one booking per 2,000 (capacity is never
#                      reached: 10 + 75 at most).  Each 201 answer's booking
#                      goes to a file for the next row.
#   training-cancel    DELETE /api/v1/training/bookings/<id>: the set-up
#                      bookings, then those the booking row made, each once.
# After the load the invariants (check-training.lua) are a PASS/MISS line.

# With BENCH_ONLY naming none of its rows, no data is made.
bench_wanted training-sessions training-session training-my training-book training-cancel || return 0
tr_count=${BENCH_TRAINING_SESSIONS:-2000}
[[ $tr_count =~ ^[0-9]+$ ]] && [ "$tr_count" -ge 100 ] && [ "$tr_count" -le 5000 ] || {
  echo "bench: setup-training.sh: BENCH_TRAINING_SESSIONS must be 100-5000" >&2; exit 1; }
tr_dir="$STACK_DIR/bench-training"
mkdir -p "$tr_dir"
tr_staff=$(wc -l <"$BENCH_STAFF_FILE")

# ---- the coordinator creates the sessions ------------------------------------
read -r tr_cookie tr_csrf < <(bench_signin coordinator Demo-Portal-1)
TZ=UTC awk -v n="$tr_count" -v url="$PORTAL_URL" -v ck="$tr_cookie" -v csrf="$tr_csrf" \
  -v start=$(( $(date +%s) / 1800 * 1800 + 30 * 86400 )) 'BEGIN {
  for (i = 0; i < n; i++) {
    if (i) print "next"
    s = start + i * 1800
    printf "url = \"%s/api/v1/training/sessions\"\n", url
    printf "header = \"Content-Type: application/json\"\nheader = \"Cookie: %s\"\nheader = \"X-CSRF-Token: %s\"\n", ck, csrf
    printf "data = \"{\\\"course_id\\\":%d,\\\"starts_at\\\":\\\"%s\\\",\\\"ends_at\\\":\\\"%s\\\",\\\"venue\\\":\\\"Bench room %d\\\",\\\"capacity\\\":100}\"\n",
      i % 4 + 1, strftime("%Y-%m-%dT%H:%M:%SZ", s, 1), strftime("%Y-%m-%dT%H:%M:%SZ", s + 7200, 1), i % 7 + 1
    print "write-out = \"\\n\""
  }
}' >"$tr_dir/sessions.curl"
bench_curl_batch "$tr_dir/sessions.curl" "$tr_dir/sessions.out"
bench_json "$tr_dir/sessions.out" session.id >"$tr_dir/sessions.txt"
if [ "$(wc -l <"$tr_dir/sessions.txt")" -ne "$tr_count" ]; then
  echo "bench: setup-training.sh: created $(wc -l <"$tr_dir/sessions.txt") of $tr_count sessions; first answer: $(head -c 300 "$tr_dir/sessions.out")" >&2
  exit 1
fi

# ---- 10 bookings a person ------------------------------------------------------
# tr_pairs FROM TO: "user<TAB>session id" lines, person u's m-th pair for m in
# [FROM, TO), m outer: person u (1..staff) books session 10(u-1)+m.
tr_pairs() {
  awk -v from="$1" -v to="$2" -v staff="$tr_staff" '
    NR == FNR { s[FNR - 1] = $1; n = FNR; next }
    END { for (m = from; m < to; m++) for (u = 1; u <= staff; u++) printf "%d\t%s\n", u, s[(10 * (u - 1) + m) % n] }' \
    "$tr_dir/sessions.txt" /dev/null
}
tr_pairs 0 10 | awk -F'\t' -v url="$PORTAL_URL" '
  NR == FNR { ck[FNR] = $1; tok[FNR] = $2; next }
  {
    if (FNR > 1) print "next"
    printf "url = \"%s/api/v1/training/sessions/%s/bookings\"\n", url, $2
    printf "header = \"Content-Type: application/json\"\nheader = \"Cookie: %s\"\nheader = \"X-CSRF-Token: %s\"\n", ck[$1], tok[$1]
    print "data = \"{}\""
    print "write-out = \"\\t%{http_code}\\n\""
  }' FS=' ' "$BENCH_STAFF_FILE" FS='\t' - >"$tr_dir/bookings.curl"
bench_curl_batch "$tr_dir/bookings.curl" "$tr_dir/bookings.out"
# the set-up bookings, as request lines for the cancellation row (before the
# booking row's own)
bench_json "$tr_dir/bookings.out" booking.id booking.username booking.status |
  awk -F'\t' '$3 == "confirmed" && $2 ~ /^bench\.staff[0-9]+$/ {
    printf "DELETE\t/api/v1/training/bookings/%s\t%d\t\n", $1, substr($2, 12) + 0 }' >"$tr_dir/cancel-setup.txt"
tr_booked=$(wc -l <"$tr_dir/cancel-setup.txt")
if [ "$tr_booked" -ne $((tr_staff * 10)) ]; then
  echo "bench: setup-training.sh: $tr_booked of $((tr_staff * 10)) bookings made; answers: $(awk -F'\t' '{ print $NF }' "$tr_dir/bookings.out" | sort | uniq -c | tr '\n' ' ')" >&2
  exit 1
fi

# ---- the rows ---------------------------------------------------------------------
awk -v staff="$tr_staff" 'BEGIN {
  k = 0
  for (p = 1; p <= 50; p++) for (c = 0; c <= 4; c++) {
    printf "GET\t/api/v1/training/sessions?page=%d&per_page=20%s\t%d\t\n", p, (c ? "&course=" c : ""), k % staff + 1
    k++
  }
}' >"$tr_dir/list.txt"
awk -v staff="$tr_staff" '{ printf "GET\t/api/v1/training/sessions/%s\t%d\t\n", $1, (NR - 1) % staff + 1 }' \
  "$tr_dir/sessions.txt" >"$tr_dir/one.txt"
awk -v staff="$tr_staff" 'BEGIN { for (u = 1; u <= staff; u++) printf "GET\t/api/v1/training/bookings\t%d\t\n", u }' >"$tr_dir/my.txt"
tr_pairs 10 85 | awk -F'\t' '{ printf "POST\t/api/v1/training/sessions/%s/bookings\t%d\t{}\n", $2, $1 }' >"$tr_dir/book.txt"

bench_row training-sessions "$BENCH_STAFF_FILE" "" "$tr_dir/list.txt"
bench_row training-session "$BENCH_STAFF_FILE" "" "$tr_dir/one.txt"
bench_row training-my "$BENCH_STAFF_FILE" "" "$tr_dir/my.txt"
bench_row training-book "$BENCH_STAFF_FILE" training-book \
  "record="'"id":"(%d+%-%d+)";;"username":"bench%.staff(%d+)"'"=DELETE"$'\t'"/api/v1/training/bookings/%s"$'\t'"%d"$'\t' \
  "$tr_dir/book.txt"
tr_cancel_files=()
for ((tr_t = 1; tr_t <= BENCH_THREADS; tr_t++)); do tr_cancel_files+=("$tr_dir/book.txt.recorded.$tr_t"); done
# The set-up bookings first: the rows' probes run before any load, so the
# cancellation probe can only cancel set-up bookings, and the lines the
# booking row adds later come after them (each line keeps its place).
bench_row training-cancel "$BENCH_STAFF_FILE" training-cancel \
  "$tr_dir/cancel-setup.txt" "${tr_cancel_files[@]}"
GOAL_ENDPOINTS+=(training-sessions training-session training-my)
WRITE_ENDPOINTS+=(training-book training-cancel)
TRAINING_CHECK_DIR=$tr_dir
BENCH_NOTES+=("data: $tr_count training sessions (capacity 100), $tr_booked bookings made in set-up (10 a person)")
BENCH_NOTES+=("training-book: each request a fresh (person, session) pair, 201 confirmed; training-cancel: the set-up bookings, then those the booking row made, each once (204)")
BENCH_NOTES+=("writes: the stack's Redis runs appendfsync always, so a write waits for its fsync; a write row's req/s can be bound by the disk while its module CPU per request stays low")

training_check() {
  bench_redis_check training check-training.lua "sessions: confirmed <= capacity, counters = records" "confirmed bookings"
}
BENCH_CHECKS+=(training_check)
unset tr_count tr_dir tr_staff tr_cookie tr_csrf tr_booked tr_cancel_files tr_t
