#!/usr/bin/env bash
# static.sh - build the portal's static assets into common/static/dist/.
#
#   tests/stack/static.sh
#
# Installs the npm packages pinned by common/static/package-lock.json (only
# when node_modules is missing or the lock file changed since the last
# install), compiles common/static/portal.scss with GOV.UK Frontend and Dart
# Sass into dist/portal.css, and copies the scripts next to it.  nginx serves
# dist/ at /static/.  Safe to run again: when nothing changed it does nothing
# but compare a few files.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
src="$root/common/static"
dist="$src/dist"
govuk="$src/node_modules/govuk-frontend/dist/govuk"
stamp="$src/node_modules/.portal-installed"

log() { printf 'static.sh: %s\n' "$*" >&2; }

command -v node >/dev/null || { log "node is not installed (apt-get install nodejs npm)"; exit 1; }
command -v npm >/dev/null || { log "npm is not installed (apt-get install npm)"; exit 1; }

# ---- npm packages: reinstall only when the lock file changed ---------------
want=$(cat "$src/package.json" "$src/package-lock.json" | sha256sum | cut -d' ' -f1)
have=$(cat "$stamp" 2>/dev/null || true)
if [[ ! -d "$src/node_modules" || "$want" != "$have" ]]; then
	log "installing npm packages (npm ci)"
	(cd "$src" && npm ci --no-audit --no-fund --loglevel=error)
	printf '%s\n' "$want" >"$stamp"
fi

mkdir -p "$dist"

# ---- stylesheet: compile when the source or the packages are newer --------
css="$dist/portal.css"
if [[ ! -s "$css" || "$src/portal.scss" -nt "$css" || "$stamp" -nt "$css" ]]; then
	log "compiling portal.scss"
	tmp="$css.tmp.$$"
	trap 'rm -f "$tmp"' EXIT
	# GOV.UK Frontend 5 still uses @import inside; its warnings are not ours.
	(cd "$src" && node_modules/.bin/sass --pkg-importer=node --no-source-map \
		--style=compressed --quiet-deps --silence-deprecation=import \
		portal.scss "$tmp")
	mv -f "$tmp" "$css"
	trap - EXIT
fi

# ---- scripts and images: copy when they differ ---------------------------
# Not copied on purpose: GOV.UK's crown, crest and logo images and the GDS
# Transport fonts, which are reserved for GOV.UK.
copy_if_changed() {
	local from=$1 to=$2
	if ! cmp -s "$from" "$to"; then
		cp -f "$from" "$to.tmp.$$"
		mv -f "$to.tmp.$$" "$to"
		log "copied $(basename "$to")"
	fi
}
copy_if_changed "$govuk/govuk-frontend.min.js" "$dist/govuk-frontend.min.js"
copy_if_changed "$src/portal.js" "$dist/portal.js"
copy_if_changed "$src/favicon.svg" "$dist/favicon.svg"

# The stylesheet must never name the GOV.UK typeface.
if grep -q 'GDS Transport' "$css"; then
	log "dist/portal.css mentions GDS Transport: check the font settings in portal.scss"
	exit 1
fi
