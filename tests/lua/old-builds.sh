#!/usr/bin/env bash
# old-builds.sh OUT - build the module binaries of the commits whose data the
# old-data tests (tests/lua/*old-data*, training-migration) start from, and
# print the environment those tests read (PORTAL_OLD_*=path lines).
#
#   e0ad37e  before the module-shape change (issue 12): training data
#            version 1 (keys without a hash tag)
#   461526b  before the ready-made reads (issues 12 and 19): beds data
#            version 1, training data version 2, the directory before :pub
#   a1bce08  before the due sets (issue 16's clock): beds and directory
#            data version 2
#
# Each commit's tree comes out of this checkout's history (git archive) into
# OUT/COMMIT and is built there once; later runs reuse it.  A clone without
# that history (a shallow one) cannot run these tests: it says so and exits 1.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ $# -eq 1 ] || { echo "usage: tests/lua/old-builds.sh OUT" >&2; exit 2; }
out=$1
mkdir -p "$out"
for c in e0ad37e 461526b a1bce08; do
  dir="$out/$c"
  if [ ! -x "$dir/build/portal-directory" ] || [ ! -x "$dir/build/portal-beds" ] || [ ! -x "$dir/build/portal-training" ]; then
    if ! git cat-file -e "$c^{commit}" 2>/dev/null; then
      echo "old-builds: commit $c is not in this clone's history (shallow clone?): fetch it to test old data" >&2
      exit 1
    fi
    rm -rf "$dir" && mkdir -p "$dir"
    git archive "$c" | tar -x -C "$dir"
    if ! env -u BUILD -u SANITIZE -u CFLAGS -u CC make -C "$dir" BUILD=build -j"$(nproc)" build/portal-training build/portal-beds build/portal-directory >"$dir/build.log" 2>&1; then
      echo "old-builds: building $c failed, see $dir/build.log" >&2
      exit 1
    fi
  fi
done
abs=$(cd "$out" && pwd)
echo "PORTAL_OLD_TRAINING=$abs/e0ad37e/build/portal-training"
echo "PORTAL_OLD_TRAINING_V2=$abs/461526b/build/portal-training"
echo "PORTAL_OLD_BEDS=$abs/461526b/build/portal-beds"
echo "PORTAL_OLD_DIRECTORY=$abs/461526b/build/portal-directory"
echo "PORTAL_OLD_BEDS_V2=$abs/a1bce08/build/portal-beds"
echo "PORTAL_OLD_DIRECTORY_V2=$abs/a1bce08/build/portal-directory"
