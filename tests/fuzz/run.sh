#!/bin/sh
# run.sh - build and run the libFuzzer targets in tests/fuzz/.
#
#   tests/fuzz/run.sh SECONDS     a campaign: each target fuzzed for SECONDS
#   tests/fuzz/run.sh --replay    every kept input once, as a regression run
#
# Each tests/fuzz/fuzz_NAME.c is built with clang, libFuzzer, ASan and UBSan
# into $FUZZ_OUT/fuzz_NAME (default build-fuzz/).  libportal's sources
# (common/*.c but embed.c, a build-time tool) are compiled one by one into
# $FUZZ_OUT/libportal-fuzz.a, so a target links only the files it uses; a
# file that does not compile is reported and left out, and only the targets
# that need it fail.  FUZZ_TARGETS="json query" limits the run to those.
#
# The inputs kept in the repository: tests/fuzz/seeds/NAME/ (written by
# hand) and tests/fuzz/corpus/NAME/ (what earlier campaigns found, minimised
# with -merge=1).
#
# A campaign fuzzes on a working corpus in $FUZZ_OUT/corpus/NAME, started
# from both; with FUZZ_KEEP=1 it then merges what it found into
# tests/fuzz/corpus/NAME (only inputs that add coverage), to be committed.
# It prints one line per target (name, executions, result).
#
# --replay runs every kept input through its target once (-runs=0), under
# ASan and UBSan, and prints one line per target (inputs, result) and
# "fuzz-replay: N passed, N failed" (targets).  make test runs it.
#
# Exits non-zero when any target crashed, leaked, hung or did not build.
# Crash inputs are kept as $FUZZ_OUT/artifacts/NAME-*; the full output of a
# run is in $FUZZ_OUT/logs/NAME.log.
set -u

usage() {
	echo "usage: $0 SECONDS | --replay" >&2
	exit 2
}

[ $# -eq 1 ] || usage
MODE=fuzz
SECONDS_EACH=0
case "$1" in
--replay) MODE=replay ;;
'' | *[!0-9]*) usage ;;
*) SECONDS_EACH=$1; [ "$SECONDS_EACH" -gt 0 ] || usage ;;
esac

ROOT=$(cd "$(dirname "$0")/../.." && pwd) || exit 1
cd "$ROOT" || exit 1

OUT=${FUZZ_OUT:-build-fuzz}
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
passed=0
failed=0
for src in tests/fuzz/fuzz_*.c; do
	[ -f "$src" ] || continue
	target=$(basename "$src" .c)
	name=${target#fuzz_}
	if [ -n "${FUZZ_TARGETS:-}" ]; then
		case " $FUZZ_TARGETS " in *" $name "*) ;; *) continue ;; esac
	fi
	found=1
	bin="$OUT/$target"
	log="$OUT/logs/$name.log"
	kept="tests/fuzz/corpus/$name"

	lib=""
	[ -f "$OUT/libportal-fuzz.a" ] && lib="$OUT/libportal-fuzz.a"
	# shellcheck disable=SC2086
	if ! $CC $CFLAGS $PKG_CFLAGS -o "$bin" "$src" $lib $PKG_LIBS \
	    >"$OUT/logs/build-$target.log" 2>&1; then
		printf '%-24s %12s  %s\n' "$target" "-" \
		    "BUILD FAILED (see $OUT/logs/build-$target.log)"
		status=1
		failed=$((failed + 1))
		continue
	fi

	# every kept input of this target: the seeds and the campaigns' corpus
	dirs=""
	for d in "tests/fuzz/seeds/$name" "tests/fuzz/seeds/$target" "$kept"; do
		[ -d "$d" ] && dirs="$dirs $d"
	done

	if [ "$MODE" = replay ]; then
		inputs=0
		[ -n "$dirs" ] && inputs=$(find $dirs -type f | wc -l)
		if [ "$inputs" -eq 0 ]; then
			printf '%-24s %12s  %s\n' "$target" 0 "NO INPUTS (add seeds in tests/fuzz/seeds/$name)"
			status=1
			failed=$((failed + 1))
			continue
		fi
		# shellcheck disable=SC2086
		"./$bin" -runs=0 -timeout=10 -rss_limit_mb=2048 \
		    -artifact_prefix="$OUT/artifacts/$name-" $dirs >"$log" 2>&1
		rc=$?
		unit="inputs"
	else
		corpus="$OUT/corpus/$name"
		mkdir -p "$corpus"
		for d in $dirs; do cp -R "$d/." "$corpus/"; done
		"./$bin" -max_total_time="$SECONDS_EACH" -timeout=10 \
		    -rss_limit_mb=2048 -print_final_stats=1 \
		    -artifact_prefix="$OUT/artifacts/$name-" "$corpus" >"$log" 2>&1
		rc=$?
		inputs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
		if [ -z "$inputs" ]; then
			# A crash stops before the final stats: take the last status line.
			inputs=$(sed -n 's/^#\([0-9][0-9]*\).*/\1/p' "$log" | tail -n 1)
		fi
		[ -n "$inputs" ] || inputs="?"
		unit="executions"
		if [ "$rc" -eq 0 ] && [ "${FUZZ_KEEP:-0}" = 1 ]; then
			mkdir -p "$kept"
			"./$bin" -merge=1 -timeout=10 -rss_limit_mb=2048 "$kept" "$corpus" \
			    >"$OUT/logs/merge-$name.log" 2>&1 ||
			    echo "run.sh: merging $name's corpus failed (see $OUT/logs/merge-$name.log)" >&2
		fi
	fi

	if [ "$rc" -eq 0 ]; then
		result="ok"
		passed=$((passed + 1))
	else
		artifact=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
		kind=$(grep -m 1 -o 'ERROR: [A-Za-z]*Sanitizer: [a-z-]*\|ERROR: libFuzzer: [a-z-]*\|runtime error: .*' "$log" | head -n 1)
		result="CRASHED (exit $rc${kind:+: $kind}${artifact:+; input $artifact}; log $log)"
		status=1
		failed=$((failed + 1))
	fi
	printf '%-24s %12s %s  %s\n' "$target" "$inputs" "$unit" "$result"
done

if [ "$found" -eq 0 ]; then
	echo "run.sh: no tests/fuzz/fuzz_*.c targets${FUZZ_TARGETS:+ named $FUZZ_TARGETS}" >&2
	exit 1
fi
[ "$MODE" = replay ] && echo "fuzz-replay: $passed passed, $failed failed"
exit $status
