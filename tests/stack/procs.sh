# procs.sh - process bookkeeping for the stack scripts (stack.sh,
# sentinel.sh), sourced after they set PIDS (pid files) and LOGS (log
# folder) and define log().  Only processes started here are stopped, by
# the PIDs recorded in PIDS.

# alive NAME: its recorded process exists and is not a zombie (a killed
# process whose parent has not reaped it yet is gone for our purposes)
alive() {
  local f="$PIDS/$1.pid" pid state
  [ -f "$f" ] || return 1
  pid=$(cat "$f")
  kill -0 "$pid" 2>/dev/null || return 1
  state=$(sed 's/^.*) \(.\).*/\1/' "/proc/$pid/stat" 2>/dev/null) || return 1
  [ "$state" != Z ]
}

# launch NAME CMD...: start CMD in its own session (Ctrl-C reaches only us,
# and we stop it in order), output to LOGS/NAME.log, pid to PIDS/NAME.pid.
launch() {
  local name=$1; shift
  if alive "$name"; then log "$name is already running (pid $(cat "$PIDS/$name.pid"))"; return 0; fi
  setsid "$@" >>"$LOGS/$name.log" 2>&1 < /dev/null &
  echo $! > "$PIDS/$name.pid"
}

# stop_one NAME [SECONDS]: SIGTERM, wait up to SECONDS (default 15), then SIGKILL.
stop_one() {
  local name=$1 secs=${2:-15} f="$PIDS/$1.pid" pid i
  [ -f "$f" ] || return 0
  pid=$(cat "$f")
  if alive "$name"; then
    kill -TERM "$pid" 2>/dev/null || true
    for i in $(seq 1 $((secs * 10))); do alive "$name" || break; sleep 0.1; done
    if alive "$name"; then
      log "$name (pid $pid) did not stop in $secs s: killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$f"
}

# wait_for SECONDS DESCRIPTION COMMAND...: until COMMAND succeeds, or fail.
wait_for() {
  local secs=$1 what=$2 i; shift 2
  for i in $(seq 1 $((secs * 10))); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done
  log "timed out waiting for $what (see $LOGS/)"; return 1
}
