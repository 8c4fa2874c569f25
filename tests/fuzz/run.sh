#!/bin/sh
# run.sh - build and run every libFuzzer target in tests/fuzz/.
#
#   tests/fuzz/run.sh SECONDS
#
# Each tests/fuzz/fuzz_NAME.c is built with clang, libFuzzer, ASan and UBSan
# into build-fuzz/fuzz_NAME and run for SECONDS on a corpus in
# build-fuzz/corpus/NAME, seeded from tests/fuzz/seeds/NAME/ (or
# tests/fuzz/seeds/fuzz_NAME/) when that exists.  libportal's sources
# (common/*.c but embed.c, a build-time tool) are compiled one by one into
# build-fuzz/libportal-fuzz.a, so a target links only the files it uses; a
# file that does not compile is reported and left out, and only the targets
# that need it fail.
#
# Prints one line per target (name, executions, result) and exits non-zero
# when any target crashed, leaked, hung or did not build.  Crash inputs are
# kept as build-fuzz/artifacts/NAME-*; the full output of a run is in
# build-fuzz/logs/NAME.log.
set -u

usage() {
	echo "usage: $0 SECONDS" >&2
	exit 2
}

[ $# -eq 1 ] || usage
case "$1" in
'' | *[!0-9]*) usage ;;
esac
SECONDS_EACH=$1
[ "$SECONDS_EACH" -gt 0 ] || usage

ROOT=$(cd "$(dirname "$0")/../.." && pwd) || exit 1
cd "$ROOT" || exit 1

OUT=build-fuzz
CC=${FUZZ_CC:-clang}
SAN="-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all"
CFLAGS="-g -O1 $SAN -std=c11 -D_GNU_SOURCE -Icommon -Wall -Wextra -Wno-unused-parameter"
PKGS="fcgi hiredis jansson libjwt ldap"

if ! command -v "$CC" >/dev/null 2>&1; then
	echo "run.sh: $CC not found: install clang (and libclang-rt-dev)" >&2
	exit 1
fi
if ! PKG_CFLAGS=$(pkg-config --cflags $PKGS) ||
    ! PKG_LIBS=$(pkg-config --libs $PKGS); then
	echo "run.sh: pkg-config cannot find all of: $PKGS" >&2
	exit 1
fi

mkdir -p "$OUT/obj" "$OUT/corpus" "$OUT/artifacts" "$OUT/logs" || exit 1

# libportal, one object per source; what does not compile is left out.
rm -f "$OUT/libportal-fuzz.a"
objs=""
for src in common/*.c; do
	[ -f "$src" ] || continue
	[ "$src" = common/embed.c ] && continue
	obj="$OUT/obj/$(basename "$src" .c).o"
	# shellcheck disable=SC2086
	if $CC $CFLAGS $PKG_CFLAGS -c -o "$obj" "$src" \
	    >"$OUT/logs/build-$(basename "$src" .c).log" 2>&1; then
		objs="$objs $obj"
	else
		echo "run.sh: $src does not compile (see $OUT/logs/build-$(basename "$src" .c).log); left out" >&2
	fi
done
if [ -n "$objs" ]; then
	# shellcheck disable=SC2086
	ar rcs "$OUT/libportal-fuzz.a" $objs || exit 1
fi

status=0
found=0
for src in tests/fuzz/fuzz_*.c; do
	[ -f "$src" ] || continue
	found=1
	target=$(basename "$src" .c)
	name=${target#fuzz_}
	bin="$OUT/$target"
	log="$OUT/logs/$name.log"
	corpus="$OUT/corpus/$name"

	lib=""
	[ -f "$OUT/libportal-fuzz.a" ] && lib="$OUT/libportal-fuzz.a"
	# shellcheck disable=SC2086
	if ! $CC $CFLAGS $PKG_CFLAGS -o "$bin" "$src" $lib $PKG_LIBS \
	    >"$OUT/logs/build-$target.log" 2>&1; then
		printf '%-16s %12s  %s\n' "$target" "-" \
		    "BUILD FAILED (see $OUT/logs/build-$target.log)"
		status=1
		continue
	fi

	mkdir -p "$corpus"
	for seeds in "tests/fuzz/seeds/$name" "tests/fuzz/seeds/$target"; do
		[ -d "$seeds" ] && cp -R "$seeds/." "$corpus/"
	done

	"./$bin" -max_total_time="$SECONDS_EACH" -timeout=10 \
	    -rss_limit_mb=2048 -print_final_stats=1 \
	    -artifact_prefix="$OUT/artifacts/$name-" "$corpus" >"$log" 2>&1
	rc=$?

	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	if [ -z "$execs" ]; then
		# A crash stops before the final stats: take the last status line.
		execs=$(sed -n 's/^#\([0-9][0-9]*\).*/\1/p' "$log" | tail -n 1)
	fi
	[ -n "$execs" ] || execs="?"

	if [ "$rc" -eq 0 ]; then
		result="ok"
	else
		artifact=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
		kind=$(grep -m 1 -o 'ERROR: [A-Za-z]*Sanitizer: [a-z-]*\|ERROR: libFuzzer: [a-z-]*\|runtime error: .*' "$log" | head -n 1)
		result="CRASHED (exit $rc${kind:+: $kind}${artifact:+; input $artifact}; log $log)"
		status=1
	fi
	printf '%-16s %12s  %s\n' "$target" "$execs" "$result"
done

if [ "$found" -eq 0 ]; then
	echo "run.sh: no tests/fuzz/fuzz_*.c targets" >&2
	exit 1
fi
exit $status
