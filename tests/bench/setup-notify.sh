# shellcheck shell=bash
# setup-notify.sh - sourced by tests/bench/run.sh after setup.sh (see there
# for the interface and the helpers).
#
# Notifications (issue 16): how fast portal-notify turns events into
# messages the SMTP server accepted, measured here, in the set-up (the
# machine otherwise quiet), not under wrk: two rows of their own
# (BENCH_ROWS), reported with no target, since the issue gives none.
#   notify-burst  BENCH_NOTIFY_EVENTS (default 1000) events added at once:
#                 throughput (events to accepted messages per second, from
#                 the first event made to the last message delivered) and
#                 each message's delay from its event at p50 and p99 (here
#                 mostly the wait in the queue)
#   notify-paced  BENCH_NOTIFY_RATE (default 10) events a second for
#                 BENCH_SECONDS: the delay from event to delivery at p50 and
#                 p99 when the worker keeps up
# The events are hold_accepted entries XADDed straight into the beds stream
# (each one message, to a demo First Responder, after a directory look-up),
# as the fault tests make them.  A message's delay is its file's time in
# the stack's Maildir (the local SMTP server writes it before it answers
# 250) less the time in its event's stream id (its Message-ID names it).
# It first waits (up to 5 minutes) until the worker has nothing pending
# (the other set-ups' events, e.g. the beds holds, are sent first).
# With BENCH_ONLY, it runs when the pattern matches "notify" (name a wrk row
# as well, e.g. BENCH_ONLY='^(me|notify)$': run.sh needs one).

bench_wanted notify notify-burst notify-paced || return 0
notify_n=${BENCH_NOTIFY_EVENTS:-1000}
notify_rate=${BENCH_NOTIFY_RATE:-10}
[[ $notify_n =~ ^[0-9]+$ ]] && [ "$notify_n" -ge 10 ] && [ "$notify_n" -le 100000 ] || {
  echo "bench: setup-notify.sh: BENCH_NOTIFY_EVENTS must be 10-100000" >&2; exit 1; }
[[ $notify_rate =~ ^[0-9]+$ ]] && [ "$notify_rate" -ge 1 ] && [ "$notify_rate" -le 100 ] || {
  echo "bench: setup-notify.sh: BENCH_NOTIFY_RATE must be 1-100" >&2; exit 1; }
notify_dir="$STACK_DIR/bench-notify"
notify_mail="$STACK_DIR/mail/new"
notify_metrics="$STACK_DIR/sock/notify.sock.metrics"
mkdir -p "$notify_dir"
[ -S "$notify_metrics" ] || { echo "bench: setup-notify.sh: portal-notify is not running ($notify_metrics)" >&2; exit 1; }

# The events the worker has not acknowledged yet, all sinks and streams.
notify_pending() {
  curl -sS --max-time 5 --unix-socket "$notify_metrics" http://portal/metrics |
    awk '/^portal_notify_store_up / { up = $2 } /^portal_notify_events_pending\{/ { s += $2 }
         END { if (up == 1) print s + 0; else print "unknown" }'
}
notify_wait_idle() {
  local i
  for i in $(seq 1 1500); do [ "$(notify_pending)" = 0 ] && return 0; sleep 0.2; done
  echo "bench: setup-notify.sh: portal-notify still has events pending after 5 minutes" >&2; exit 1
}

# notify_xadd FIRST COUNT: XADD hold_accepted events for holds FIRST.. into
# the beds stream (one redis-cli pipe), their entry ids appended to ids.txt.
notify_xadd() {
  local now; now=$(date +%s)
  awk -v first="$1" -v n="$2" -v now="$now" 'BEGIN {
    for (i = 0; i < n; i++)
      printf "XADD portal:beds:{beds}:events * kind hold_accepted hold %d safehouse 1 safehouse_name \"Bench House\" agency demo-charity-a responder responder.police expires_at %d at %d by ngo.a\n", first + i, now + 3600, now
  }' | redis-cli -s "$REDIS_SOCK" >>"$notify_dir/ids.txt"
}

# notify_measure LABEL WHAT: wait until the worker has acknowledged every
# event (nothing pending: every message accepted; up to 5 minutes), then
# find the messages of the events of ids.txt in the Maildir and add the
# row: the messages per second from the first event to the last delivery,
# and the delay p50 and p99.
notify_measure() {
  local label=$1 what=$2 n got row
  n=$(wc -l <"$notify_dir/ids.txt")
  notify_wait_idle
  # the Message-ID is "<ENTRY-ID.beds.HASH@DOMAIN>": the files of our events
  find "$notify_mail" -type f -newer "$notify_dir/start" -printf '%T@ %p\n' |
    while read -r t f; do
      printf '%s %s\n' "$t" "$(grep -m1 '^Message-ID: <' "$f" | sed 's/^Message-ID: <\([0-9]*-[0-9]*\)\.beds\..*/\1/')"
    done >"$notify_dir/delivered.txt"
  got=$(awk '{ print $2 }' "$notify_dir/delivered.txt" | sort -u | grep -cxFf "$notify_dir/ids.txt" || true)
  [ "$got" -eq "$n" ] || { echo "bench: setup-notify.sh: $label: $got of $n messages delivered" >&2; exit 1; }
  row=$(awk -v label="$label" -v what="$what" '
    NR == FNR { want[$1] = 1; split($1, p, "-"); ms = p[1] + 0; if (first == "" || ms < first) first = ms; next }
    ($2 in want) && !seen[$2]++ {
      split($2, p, "-"); d = $1 * 1000 - p[1]; delay[++n] = d
      if ($1 * 1000 > last) last = $1 * 1000
    }
    END {
      # insertion sort is too slow for 100,000: shell sort
      for (gap = int(n / 2); gap > 0; gap = int(gap / 2))
        for (i = gap + 1; i <= n; i++) { v = delay[i]; j = i; while (j > gap && delay[j - gap] > v) { delay[j] = delay[j - gap]; j -= gap } delay[j] = v }
      p50 = delay[int((n - 1) * 0.50) + 1]; p99 = delay[int((n - 1) * 0.99) + 1]
      span = (last - first) / 1000
      printf "%-13s %6d messages %9.1f msg/s   delay p50 %8.1f ms   p99 %8.1f ms   (%s)", label, n,
             (span > 0 ? n / span : 0), p50, p99, what
    }' "$notify_dir/ids.txt" "$notify_dir/delivered.txt")
  BENCH_ROWS+=("$row")
  echo "bench: $row" >&2
}

# notify_cpu_ticks: the worker's user + system clock ticks so far (all threads)
notify_cpu_ticks() { sed 's/^.*) //' "/proc/$(cat "$STACK_DIR/pids/notify.pid")/stat" | awk '{ print $12 + $13 }'; }

notify_wait_idle
# the burst: every event at once
: >"$notify_dir/ids.txt"; touch "$notify_dir/start"; sleep 0.01
notify_ticks=$(notify_cpu_ticks)
notify_xadd 9000000 "$notify_n"
notify_measure notify-burst "$notify_n events added at once; from the first event to the last delivery"
notify_ticks=$(( $(notify_cpu_ticks) - notify_ticks ))
BENCH_ROWS[-1]="${BENCH_ROWS[-1]%)}; portal-notify CPU $(awk -v t="$notify_ticks" -v hz="$(getconf CLK_TCK)" -v n="$notify_n" \
  'BEGIN { printf "%.0f", t * 1e6 / hz / n }') us/message)"
# paced: notify_rate a second for BENCH_SECONDS, one XADD at a time
notify_wait_idle
: >"$notify_dir/ids.txt"; touch "$notify_dir/start"; sleep 0.01
notify_t0=$(date +%s%N)
for ((notify_i = 0; notify_i < notify_rate * BENCH_SECONDS; notify_i++)); do
  notify_xadd $((9500000 + notify_i)) 1
  # the next one's time from the start, not from the last (no drift)
  notify_sleep=$(awk -v t0="$notify_t0" -v now="$(date +%s%N)" -v i="$notify_i" -v r="$notify_rate" \
    'BEGIN { s = (t0 + (i + 1) * 1e9 / r - now) / 1e9; printf "%.3f", (s > 0 ? s : 0) }')
  sleep "$notify_sleep"
done
notify_measure notify-paced "$notify_rate events a second for ${BENCH_SECONDS} s; the delay when the worker keeps up"
BENCH_NOTES+=("notify-*: events XADDed into the beds stream in the set-up (no wrk); portal-notify sends each to a demo responder through the stack's aiosmtpd (one LDAP look-up and one SMTP transaction each); rows below the table")
