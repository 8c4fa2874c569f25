#!/usr/bin/env bash
# deps.sh - install the Debian packages the portal and its tests need.
# As root: installs what is missing.  As another user: prints the exact
# apt-get line and stops (exit 1).  Quiet and quick when nothing is missing.
set -euo pipefail

PACKAGES=(
  build-essential clang libclang-rt-14-dev pkg-config
  libfcgi-dev libhiredis-dev libjwt-dev libldap-dev libjansson-dev check
  nginx redis-server slapd ldap-utils curl openssl
  chromium
  wrk php-fpm php-redis prometheus
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
# Node.js may come from elsewhere with npm bundled: ask for the commands.
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
# make docker-test: Debian's Docker engine and client, compose v1 and
# debootstrap, unless the commands are already there (another Docker
# package, say).  The engine's services are not started (policy-rc.d below).
command -v dockerd >/dev/null 2>&1 && [ -x /usr/bin/docker ] || missing+=(docker.io)
command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "These Debian packages are missing. Install them, then run the command again:" >&2
  echo "  sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi

echo "Installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# Services must not start on their own: the stack starts its own instances.
policy_added=0
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
  chmod 755 /usr/sbin/policy-rc.d
  policy_added=1
fi
trap '[ $policy_added -eq 1 ] && rm -f /usr/sbin/policy-rc.d' EXIT
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "Installed."
