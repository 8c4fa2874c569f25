#!/usr/bin/env bash
# npm-install.sh - the integration tests' npm packages (ajv for the Open
# Referral schemas, ical.js for calendar files), from the committed lock
# file; only when missing or the lock changed.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
stamp="$here/node_modules/.portal-installed"
want=$(cat "$here/package.json" "$here/package-lock.json" | sha256sum | cut -d' ' -f1)
if [[ ! -d "$here/node_modules" || "$want" != "$(cat "$stamp" 2>/dev/null || true)" ]]; then
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
  printf '%s\n' "$want" > "$stamp"
fi
