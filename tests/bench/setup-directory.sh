# shellcheck shell=bash
# setup-directory.sh - sourced by tests/bench/run.sh after setup.sh (same
# interface: bash, set -euo pipefail; PORTAL_URL, STACK_DIR, REDIS_SOCK).
#
# Loads generated services for the run and adds the directory's faceted
# search beside the static baseline, measured twice on the same stack:
#   directory_search_5000  the search (language=sq, exploitation=criminal,
#                          borough=newham) over a set of 5,000 generated services
#   directory_search_100   the same search over a set of 100 generated services
# The two sets are told apart by the community each generator run puts its
# services in (gen-b5000 / gen-b100), so both searches run the same Redis
# intersection code against the same index; the search cost at 5,000 should
# stay within 3x of the cost at 100 (compare the two rows' latency and CPU).
# The generator (POST /api/v1/directory/generate, coordinators, demo stacks
# only) adds the services in atomic batches of 500.

dir_jar="$STACK_DIR/bench-directory-signin.headers"
dir_body="$STACK_DIR/bench-directory-signin.json"
dir_code=$(curl -sS -o "$dir_body" -D "$dir_jar" -w '%{http_code}' \
  -H 'Content-Type: application/json' \
  --data '{"username":"coordinator","password":"Demo-Portal-1"}' \
  "$PORTAL_URL/api/v1/auth/login") || dir_code=000
dir_cookie=$(awk 'tolower($1) == "set-cookie:" { sub(/\r$/, ""); split($2, a, ";"); print a[1]; exit }' "$dir_jar")
dir_csrf=$(sed -n 's/.*"csrf_token":"\([^"]*\)".*/\1/p' "$dir_body")
if [ "$dir_code" != 200 ] || [ -z "$dir_cookie" ] || [ -z "$dir_csrf" ]; then
  echo "bench: setup-directory.sh: sign-in as coordinator answered $dir_code; see $STACK_DIR/logs/" >&2
  exit 1
fi
for dir_set in 5000 100; do
  dir_gen=$(curl -sS -o /dev/null -w '%{http_code}' -X POST \
    -H "Cookie: $dir_cookie" -H "X-CSRF-Token: $dir_csrf" -H 'Content-Type: application/json' \
    --data "{\"count\":$dir_set,\"tag\":\"b$dir_set\"}" \
    "$PORTAL_URL/api/v1/directory/generate") || dir_gen=000
  if [ "$dir_gen" != 201 ]; then
    echo "bench: setup-directory.sh: generating $dir_set services answered $dir_gen" >&2
    exit 1
  fi
done
dir_query='language=sq&exploitation=criminal&borough=newham'
ENDPOINTS+=("directory_search_5000 GET /api/v1/directory/services?community=gen-b5000&$dir_query Cookie: $dir_cookie")
ENDPOINTS+=("directory_search_100 GET /api/v1/directory/services?community=gen-b100&$dir_query Cookie: $dir_cookie")
# shellcheck disable=SC2034  # read by run.sh
GOAL_ENDPOINTS+=(directory_search_5000 directory_search_100)
unset dir_jar dir_body dir_code dir_cookie dir_csrf dir_set dir_gen dir_query
