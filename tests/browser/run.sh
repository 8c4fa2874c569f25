#!/usr/bin/env bash
# run.sh - the browser test suite against a freshly started portal stack.
#
#   tests/browser/run.sh BUILD_DIR
#
# Installs playwright-core and axe-core from the committed lock file (only
# when they are missing or the lock changed), checks Debian's Chromium is
# there (installing the package if not: playwright never downloads a
# browser), builds the static assets, starts the whole stack on a free
# loopback port in a temporary folder, runs `node --test tests/browser/`
# with PORTAL_URL set, and always stops the stack again.  Exits with the
# test runner's status.
set -euo pipefail

if [[ $# -ne 1 ]]; then
	echo "usage: $0 BUILD_DIR" >&2
	exit 2
fi
build=$(cd "$1" && pwd)
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
here="$root/tests/browser"
cd "$root"

log() { printf 'browser/run.sh: %s\n' "$*" >&2; }

# ---- Chromium: Debian's package, never a download -------------------------
if [[ ! -x /usr/bin/chromium ]]; then
	log "installing Debian's chromium package"
	export DEBIAN_FRONTEND=noninteractive
	apt-get install -y chromium >/dev/null 2>&1 || {
		apt-get update >/dev/null
		apt-get install -y chromium >/dev/null
	}
fi

# ---- npm packages: reinstall only when the lock file changed ---------------
stamp="$here/node_modules/.portal-installed"
want=$(cat "$here/package.json" "$here/package-lock.json" | sha256sum | cut -d' ' -f1)
if [[ ! -d "$here/node_modules" || "$want" != "$(cat "$stamp" 2>/dev/null || true)" ]]; then
	log "installing npm packages (npm ci)"
	(cd "$here" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
	printf '%s\n' "$want" >"$stamp"
fi

# ---- static assets (fast when up to date) ---------------------------------
tests/stack/static.sh

# ---- the stack, on a free loopback port -----------------------------------
port=$(node -e '
	const server = require("net").createServer()
	server.listen(0, "127.0.0.1", () => { console.log(server.address().port); server.close() })')
tmp=$(mktemp -d "${TMPDIR:-/tmp}/portal-browser.XXXXXX")
stop_stack() {
	tests/stack/stack.sh stop --dir "$tmp" || log "stack.sh stop failed (folder kept: $tmp)"
	[[ -e "$tmp/.keep" ]] || rm -rf "$tmp"
}
trap stop_stack EXIT

log "starting the portal on 127.0.0.1:$port (folder $tmp)"
# every test signs in from 127.0.0.1: the sign-in rate limit must not get in the way
# the monitoring figures read the events streams every 5 s (not every minute)
PORTAL_MONITORING_INTAKE_SECONDS=5 \
PORTAL_SIGNIN_RATE=10000r/s PORTAL_SIGNIN_BURST=1000 \
	tests/stack/stack.sh start --dir "$tmp" --port "$port" --bin "$build"

status=0
# the Maildir the stack's SMTP server delivers into (notification-loop.test.mjs reads it)
PORTAL_URL="http://127.0.0.1:$port" PORTAL_MAILDIR="$tmp/mail" node --test tests/browser/ || status=$?
if [[ $status -ne 0 ]]; then
	log "browser tests failed (exit $status)"
fi
exit "$status"
