#!/usr/bin/env bash
# summary.sh LOG - the closing line of `make test`: every suite's counts
# added up (Check's "Checks: N, Failures: F, Errors: E" lines and Node's
# "# pass N" / "# fail N" lines, and the fuzz replay's "fuzz-replay: N
# passed, N failed" targets), as "N passed, N failed".
set -euo pipefail
awk '
  /^[0-9]+%: Checks: [0-9]+, Failures: [0-9]+, Errors: [0-9]+/ {
    gsub(/,/, ""); checks = $3; bad = $5 + $7; pass += checks - bad; fail += bad }
  /^# pass [0-9]+$/ { pass += $3 }
  /^# fail [0-9]+$/ { fail += $3 }
  /^fuzz-replay: [0-9]+ passed, [0-9]+ failed$/ { pass += $2; fail += $4 }
  END { printf "make test: %d passed, %d failed\n", pass, fail; exit (fail > 0) }
' "$1"
