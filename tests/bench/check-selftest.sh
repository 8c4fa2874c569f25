#!/usr/bin/env bash
# check-selftest.sh - the invariant scripts (check-beds.lua,
# check-training.lua) find what they are meant to find.
#
#   tests/bench/check-selftest.sh REDIS_SOCKET
#
# Uses Redis database 15 of that server (emptied before and after; run.sh
# runs it against the bench stack's own Redis, whose data lives in database
# 0): writes a small consistent data set, expects 0 violations from each
# script, then breaks one invariant at a time and expects each to be found.
# Prints one line per case; exits 1 when a case fails.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
[ $# -eq 1 ] || { sed -n '5p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
SOCK=$1
r() { redis-cli -s "$SOCK" -n 15 "$@" >/dev/null; }
fails=0
# expect SCRIPT WANT CASE: WANT is "none" (0 violations) or "some"
expect() {
  local bad
  bad=$(redis-cli -s "$SOCK" -n 15 --raw --eval "$HERE/$1" | sed -n 1p)
  if { [ "$2" = none ] && [ "$bad" = 0 ]; } || { [ "$2" = some ] && [[ $bad =~ ^[1-9][0-9]*$ ]]; }; then
    echo "ok   $1: $3 ($bad violations)"
  else
    echo "FAIL $1: $3: expected $2 violations, got '$bad'"
    fails=$((fails + 1))
  fi
}
training_ok() {
  r FLUSHDB
  r HSET 't:{training}:session:1' id 1 capacity 2 confirmed 1 used:general 1 waitlist_length 1
  r HSET 't:{training}:bookings:1' 1-1 '{"id":"1-1","status":"confirmed"}' 1-2 '{"id":"1-2","status":"waitlisted"}' \
    1-3 '{"id":"1-3","status":"cancelled"}'
  r ZADD 't:{training}:waitlist:1' 1 1-2
  r HSET 't:{training}:people:1' u1 1-1 u2 1-2
}
beds_ok() {
  r FLUSHDB
  r HSET 'b:beds:{beds}:sh:1' beds:women 2 vacant:women 2 beds:men 1 vacant:men 0
  r HSET 'b:beds:{beds}:hold:1' id 1 status pending safehouse 1 group women
  r HSET 'b:beds:{beds}:hold:2' id 2 status cancelled safehouse 1 group women
  r ZADD 'b:beds:{beds}:sh:1:pending:women' 100 1
  r ZADD 'b:beds:{beds}:pending' 100 1
}

training_ok; expect check-training.lua none "a consistent session"
training_ok; r HSET 't:{training}:session:1' confirmed 3 used:general 3
r HSET 't:{training}:bookings:1' 1-4 '{"status":"confirmed"}' 1-5 '{"status":"confirmed"}'
r HSET 't:{training}:people:1' u4 1-4 u5 1-5
expect check-training.lua some "over-booked (3 confirmed, capacity 2)"
training_ok; r HINCRBY 't:{training}:session:1' confirmed 1
expect check-training.lua some "the confirmed counter above the records"
training_ok; r HSET 't:{training}:session:1' used:police 1
expect check-training.lua some "seats used above confirmed"
training_ok; r ZADD 't:{training}:waitlist:1' 2 1-9
expect check-training.lua some "a waitlist entry with no waitlisted record"
training_ok; r HDEL 't:{training}:people:1' u2
expect check-training.lua some "an active booking missing from the people index"
beds_ok; expect check-beds.lua none "a consistent house"
beds_ok; r HSET 'b:beds:{beds}:sh:1' vacant:women 3
expect check-beds.lua some "more vacant beds than beds"
beds_ok; r ZADD 'b:beds:{beds}:sh:1:pending:men' 100 1
expect check-beds.lua some "a hold on a group with no vacant bed"
beds_ok; r HSET 'b:beds:{beds}:hold:3' id 3 status pending safehouse 1 group women
expect check-beds.lua some "a pending hold record the house does not count"
beds_ok; r ZADD 'b:beds:{beds}:pending' 101 7
expect check-beds.lua some "the list of pending holds longer than the records"
r FLUSHDB
[ "$fails" -eq 0 ] || { echo "check-selftest: $fails case(s) failed"; exit 1; }
