#!/usr/bin/env bash
# run.sh - run every unit test binary given; each prints Check's own summary.
# Exits non-zero when any binary fails.
set -u
failed=0
for t in "$@"; do
  echo "== $(basename "$t")"
  if ! "$t"; then
    echo "FAILED: $t"
    failed=$((failed + 1))
  fi
done
echo "unit: $(( $# - failed )) of $# test programs passed"
[ "$failed" -eq 0 ]
