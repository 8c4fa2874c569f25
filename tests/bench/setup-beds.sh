# shellcheck shell=bash
# setup-beds.sh - sourced by tests/bench/run.sh after setup.sh (see there for
# the interface and the helpers).
#
# The London-scale beds data, made through the API (keep-alive curls) by a
# demo NGO: BEDS_BENCH_HOUSES (default 200) safehouses, round-robin over the
# 33 London boroughs (about 6 each), each with beds for one to three groups
# (2 to 12 beds a group, most of them vacant), who the beds welcome, the
# needs they meet and two to four staff languages varying from house to
# house.  The demo First Responder responder.police then holds one bed in
# each house (for 4 hours: the holds the one-hold row reads).
#
# Rows (tests/bench/rows.lua, as responder.police):
#   beds-search  GET /api/v1/beds/search over 3 groups x 34 areas x needs,
#                person and language: 306 parameter sets
#   beds-hold    GET /api/v1/beds/holds/<id>, the 200 holds in turn
#   beds-place   tests/bench/beds-hold.lua: places a hold (a fresh
#                Idempotency-Key each time) and cancels it with its next
#                request, so the row is half placements (201), half
#                cancellations (200), and the beds come back; over every
#                house and group with 5 or more vacant beds
# After the load the invariants (check-beds.lua) are a PASS/MISS line.

# With BENCH_ONLY naming none of its rows, no data is made.
bench_wanted beds-search beds-hold beds-place || return 0
beds_n=${BEDS_BENCH_HOUSES:-200}
[[ $beds_n =~ ^[0-9]+$ ]] && [ "$beds_n" -ge 34 ] && [ "$beds_n" -le 1000 ] || {
  echo "bench: setup-beds.sh: BEDS_BENCH_HOUSES must be 34-1000" >&2; exit 1; }
beds_dir="$STACK_DIR/bench-beds"
mkdir -p "$beds_dir"
read -r beds_ngo_cookie beds_ngo_csrf < <(bench_signin ngo.a Demo-Portal-1)
bench_signin responder.police Demo-Portal-1 >"$beds_dir/responder.txt"
BEDS_BENCH_AREAS="barking-and-dagenham barnet bexley brent bromley camden city-of-london croydon ealing enfield greenwich hackney hammersmith-and-fulham haringey harrow havering hillingdon hounslow islington kensington-and-chelsea kingston-upon-thames lambeth lewisham merton newham redbridge richmond-upon-thames southwark sutton tower-hamlets waltham-forest wandsworth westminster"
BEDS_BENCH_LANGS="sq vi ti ar ro pl lt bg so ur pa bn zh yo fa ku"

# The houses: house i (0-based) in area i mod 33; groups from i: women
# always but every 5th, men every 2nd, trans and non-binary every 3rd.
# "i<TAB>group<TAB>beds<TAB>vacant" lines describe them for the rest.
awk -v n="$beds_n" 'BEGIN {
  for (i = 0; i < n; i++) {
    if (i % 5) printf "%d\twomen\t%d\t%d\n", i, 2 + i % 11, 1 + i % 11
    if (i % 2 == 0) printf "%d\tmen\t%d\t%d\n", i, 2 + i % 7, 1 + i % 7
    if (i % 3 == 0 || i % 5 == 0) printf "%d\ttrans_non_binary\t%d\t%d\n", i, 2 + i % 3, 1 + i % 3
  }
}' >"$beds_dir/groups.txt"
awk -F'\t' -v n="$beds_n" -v url="$PORTAL_URL" -v ck="$beds_ngo_cookie" -v csrf="$beds_ngo_csrf" \
  -v areas="$BEDS_BENCH_AREAS" -v langs="$BEDS_BENCH_LANGS" '
  BEGIN { na = split(areas, A, " "); nl = split(langs, L, " ") }
  { beds[$1] = beds[$1] sprintf(",\\\"beds_%s\\\":%d", $2, $3) }
  END {
    for (i = 0; i < n; i++) {
      if (i) print "next"
      w = (i % 2) ? "\\\"woman\\\",\\\"trans_woman\\\"" : "\\\"woman\\\""
      l = ""
      for (j = 0; j < 2 + i % 3; j++) l = l (j ? "," : "") "\\\"" L[(i + 3 * j) % nl + 1] "\\\""
      printf "url = \"%s/api/v1/beds/safehouses\"\n", url
      printf "header = \"Content-Type: application/json\"\nheader = \"Cookie: %s\"\nheader = \"X-CSRF-Token: %s\"\n", ck, csrf
      printf "data = \"{\\\"name\\\":\\\"Bench House %d\\\",\\\"area\\\":\\\"%s\\\"%s,\\\"welcomes_women\\\":[%s],", i + 1, A[i % 33 + 1], beds[i], w
      printf "\\\"pre_nrm\\\":%s,\\\"post_nrm\\\":%s,\\\"dependants\\\":%s,\\\"accessible\\\":%s,\\\"staffed_24h\\\":%s,",
        (i % 2 ? "true" : "false"), (i % 3 ? "true" : "false"), (i % 4 == 0 ? "true" : "false"), (i % 6 == 0 ? "true" : "false"), (i % 2 ? "false" : "true")
      printf "\\\"languages\\\":[%s],\\\"referral_phone\\\":\\\"020 7946 %04d\\\",\\\"referral_hours\\\":\\\"24 hours\\\"}\"\n", l, i
      print "write-out = \"\\n\""
    }
  }' "$beds_dir/groups.txt" >"$beds_dir/houses.curl"
bench_curl_batch "$beds_dir/houses.curl" "$beds_dir/houses.out" 1
bench_json "$beds_dir/houses.out" safehouse.id >"$beds_dir/ids.txt"
if [ "$(wc -l <"$beds_dir/ids.txt")" -ne "$beds_n" ]; then
  echo "bench: setup-beds.sh: created $(wc -l <"$beds_dir/ids.txt") of $beds_n safehouses; first answer: $(head -c 300 "$beds_dir/houses.out")" >&2
  exit 1
fi
# vacancies, then one 4-hour hold in each house (its first group), as the
# responder; "id<TAB>group" of every group with a bed left for beds-place
read -r beds_resp_cookie beds_resp_csrf <"$beds_dir/responder.txt"
awk -F'\t' -v url="$PORTAL_URL" -v ck="$beds_ngo_cookie" -v csrf="$beds_ngo_csrf" '
  NR == FNR { id[FNR - 1] = $1; next }
  { v[$1] = v[$1] (v[$1] == "" ? "" : ",") sprintf("\\\"%s\\\":%d", $2, $4); order[$1] = 1 }
  END {
    k = 0
    for (i in order) {
      if (k++) print "next"
      printf "url = \"%s/api/v1/beds/safehouses/%s/vacancies\"\nrequest = \"PUT\"\n", url, id[i]
      printf "header = \"Content-Type: application/json\"\nheader = \"Cookie: %s\"\nheader = \"X-CSRF-Token: %s\"\n", ck, csrf
      printf "data = \"{%s}\"\nwrite-out = \"%%{http_code}\\n\"\noutput = \"/dev/null\"\n", v[i]
    }
  }' "$beds_dir/ids.txt" "$beds_dir/groups.txt" >"$beds_dir/vacancies.curl"
bench_curl_batch "$beds_dir/vacancies.curl" "$beds_dir/vacancies.out" 1
if [ "$(grep -c '^200$' "$beds_dir/vacancies.out")" -ne "$beds_n" ]; then
  echo "bench: setup-beds.sh: vacancies set for $(grep -c '^200$' "$beds_dir/vacancies.out") of $beds_n houses" >&2
  exit 1
fi
awk -F'\t' -v url="$PORTAL_URL" -v ck="$beds_resp_cookie" -v csrf="$beds_resp_csrf" '
  NR == FNR { id[FNR - 1] = $1; next }
  !($1 in done) {
    done[$1] = 1
    if (k++) print "next"
    printf "url = \"%s/api/v1/beds/safehouses/%s/holds\"\n", url, id[$1]
    printf "header = \"Content-Type: application/json\"\nheader = \"Cookie: %s\"\nheader = \"X-CSRF-Token: %s\"\n", ck, csrf
    printf "header = \"Idempotency-Key: bench-setup-%d\"\n", $1
    printf "data = \"{\\\"group\\\":\\\"%s\\\",\\\"reference\\\":\\\"BENCH-%d\\\",\\\"callback_phone\\\":\\\"020 7946 0000\\\",\\\"minutes\\\":240}\"\n", $2, $1
    print "write-out = \"\\n\""
  }' "$beds_dir/ids.txt" "$beds_dir/groups.txt" >"$beds_dir/holds.curl"
bench_curl_batch "$beds_dir/holds.curl" "$beds_dir/holds.out" 1
bench_json "$beds_dir/holds.out" hold.id >"$beds_dir/holds.txt"
if [ "$(wc -l <"$beds_dir/holds.txt")" -ne "$beds_n" ]; then
  echo "bench: setup-beds.sh: placed $(wc -l <"$beds_dir/holds.txt") of $beds_n holds; first answer: $(head -c 300 "$beds_dir/holds.out")" >&2
  exit 1
fi

# ---- the rows ---------------------------------------------------------------------
awk -v areas="$BEDS_BENCH_AREAS outside-london" -v langs="$BEDS_BENCH_LANGS" 'BEGIN {
  na = split(areas, A, " "); nl = split(langs, L, " ")
  split("women men trans_non_binary", G, " ")
  split("woman:trans_woman man:trans_man non_binary:trans_woman", P, " ")
  split("pre_nrm post_nrm dependants accessible", N, " ")
  for (g = 1; g <= 3; g++) {
    split(P[g], pp, ":")
    for (a = 1; a <= na; a++) for (v = 0; v < 3; v++) {
      q = "group=" G[g] "&area=" A[a]
      if (v == 1) q = q "&person=" pp[(a % 2) + 1] "&" N[(a % 4) + 1] "=1"
      if (v == 2) q = q "&language=" L[(a + g) % nl + 1]
      printf "GET\t/api/v1/beds/search?%s\t1\t\n", q
    }
  }
}' >"$beds_dir/search.txt"
awk '{ printf "GET\t/api/v1/beds/holds/%s\t1\t\n", $1 }' "$beds_dir/holds.txt" >"$beds_dir/hold.txt"
# houses and groups with at least 5 vacant beds (one is held by the set-up;
# the 64 connections' holds in flight, spread over them, never fill one)
BEDS_BENCH_PLACES=$(awk -F'\t' 'NR == FNR { id[FNR - 1] = $1; next } $4 >= 5 { printf "%s%s:%s", (n++ ? "," : ""), id[$1], $2 }' \
  "$beds_dir/ids.txt" "$beds_dir/groups.txt")
export BEDS_BENCH_PLACES BEDS_BENCH_CSRF=$beds_resp_csrf   # read by beds-hold.lua

bench_row beds-search "$beds_dir/responder.txt" "" "$beds_dir/search.txt"
bench_row beds-hold "$beds_dir/responder.txt" "" "$beds_dir/hold.txt"
ENDPOINTS+=("beds-place POST /api/v1/beds/safehouses/$(head -n 1 "$beds_dir/ids.txt")/holds lua=tests/bench/beds-hold.lua Cookie: $beds_resp_cookie")
GOAL_ENDPOINTS+=(beds-search beds-hold)
WRITE_ENDPOINTS+=(beds-place)
BENCH_NOTES+=("data: $beds_n safehouses over the 33 boroughs ($(wc -l <"$beds_dir/groups.txt") bed groups, $(awk -F'\t' '{ s += $3 } END { print s }' "$beds_dir/groups.txt") beds), $beds_n holds of 4 hours")
BENCH_NOTES+=("beds-place: requests alternate placing a hold (201) and cancelling one placed (200), as responder.police, over every house and group with 5+ vacant beds; PORTAL_BEDS_MAX_PENDING=$PORTAL_BEDS_MAX_PENDING")

beds_check() {
  bench_redis_check beds check-beds.lua "houses: vacant <= beds, held <= vacant, held = pending records" "pending holds"
}
BENCH_CHECKS+=(beds_check)
unset beds_n beds_dir beds_ngo_cookie beds_ngo_csrf beds_resp_cookie beds_resp_csrf
