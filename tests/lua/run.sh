#!/usr/bin/env bash
# run.sh EMBED - the Lua scripts' own tests (tests/lua/*.test.mjs: the
# common prelude, training, beds, directory, and the old-data tests of each),
# each against a redis-server it starts; EMBED is the build's portal-embed, which
# gives each script's text as the build embeds it.  Prints node's summary.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ $# -eq 1 ] || { echo "usage: tests/lua/run.sh BUILD/portal-embed" >&2; exit 2; }
PORTAL_EMBED="$1" exec node --test --test-concurrency=1 tests/lua/
