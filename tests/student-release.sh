#!/bin/sh
# The student release: no solution leaks, and the unpacked tree builds
# against exercises/, runs a lab and grades it (Score 0 untouched).
set -u
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
SUITE=student-release
. "$(dirname "$0")/lib/testlib.sh"

if scripts/student-release "$tmp/r.tar.gz" > "$tmp/log" 2>&1 && tar -xzf "$tmp/r.tar.gz" -C "$tmp"; then
    ok "writes a tarball that unpacks into autoreg-lab/"
else
    bad "writes a tarball that unpacks into autoreg-lab/" "$(cat "$tmp/log")"
fi
t=$tmp/autoreg-lab
leak=$(grep -rl 'BEGIN SOLUTION [0-9]' "$t/src" "$t/exercises" "$t/tests" --include='*.[ch]' 2>/dev/null)
if [ ! -e "$t/solutions" ] && [ ! -e "$t/tests/mistakes" ] && [ -z "$leak" ] && [ -d "$t/exercises" ]; then
    ok "no solutions/, no tests/mistakes/ and no solution region in it"
else
    bad "no solutions/, no tests/mistakes/ and no solution region in it" "$leak"
fi
if make -C "$t" -s all > "$tmp/build.log" 2>&1; then
    ok "builds against exercises/"
else
    bad "builds against exercises/" "$(tail -n 5 "$tmp/build.log")"
fi
make -C "$t" --no-print-directory chapter1 > "$tmp/lab.log" 2>&1
if grep -q "building against exercises/" "$tmp/lab.log" && grep -q "exercise 1.1 " "$tmp/lab.log"; then
    ok "make chapter1 runs the lab and lists the exercises"
else
    bad "make chapter1 runs the lab and lists the exercises" "$(tail -n 5 "$tmp/lab.log")"
fi
make -C "$t" --no-print-directory grade CHAPTER=1 > "$tmp/grade.log" 2>&1
if grep -q '^Score: 0/[1-9]' "$tmp/grade.log"; then
    ok "make grade scores the untouched exercises 0"
else
    bad "make grade scores the untouched exercises 0" "$(tail -n 3 "$tmp/grade.log")"
fi
finish
