#!/bin/sh
# scripts/submission (make submission) on the trees make check built:
# on the stubs it warns for chapter 1 and still writes the zip; on the
# solutions it does not warn; the zip holds exactly exercises/chNN/*.c
# (and handbook.pdf when build/handbook.pdf exists), which the
# autograder takes as they are.
set -u
SUITE=submission
. "$(dirname "$0")/lib/testlib.sh"
use_tmpdir
sol=$(dirname "${1:-build/solutions/autoreg}")
exe=$(echo "$sol" | sed 's|/solutions|/exercises|')

scripts/submission "$tmp/stub.zip" "$exe" 1 > "$tmp/stub.log" 2>&1
rc=$?
if [ $rc -eq 0 ] && grep -q "warning: chapter 1's tests do not pass yet ([0-9]* of [0-9]* fail): make chapter1" "$tmp/stub.log" &&
   [ -s "$tmp/stub.zip" ]; then
    ok "on the stubs: a warning naming chapter 1 and how many of its tests fail; the zip is still written"
else
    bad "on the stubs: a warning naming chapter 1 and how many of its tests fail; the zip is still written" \
        "exit $rc: $(cat "$tmp/stub.log")"
fi
scripts/submission "$tmp/sol.zip" "$sol" 1 > "$tmp/sol.log" 2>&1
rc=$?
if [ $rc -eq 0 ] && ! grep -q -e 'tests do not pass' -e 'does not compile' -e 'did not build' "$tmp/sol.log" && [ -s "$tmp/sol.zip" ]; then
    ok "where chapter 1's tests pass: no warning about them"
else
    bad "where chapter 1's tests pass: no warning about them" "exit $rc: $(cat "$tmp/sol.log")"
fi
want=$( (ls exercises/ch*/*.c; [ -f build/handbook.pdf ] && echo handbook.pdf) | sort)
got=$(unzip -Z1 "$tmp/stub.zip" | sort)
if [ "$got" = "$want" ]; then
    ok "the zip holds exactly exercises/chNN/*.c$( [ -f build/handbook.pdf ] && echo ' and handbook.pdf')"
else
    bad "the zip holds exactly exercises/chNN/*.c (and handbook.pdf)" "got: $got"
fi
mkdir -p "$tmp/x"
(cd "$tmp/x" && unzip -q "$tmp/stub.zip")
if cmp -s "$tmp/x/exercises/ch01/tabular.c" exercises/ch01/tabular.c; then
    ok "the files in it are the student's, byte for byte"
else
    bad "the files in it are the student's, byte for byte"
fi
if scripts/submission "$tmp/n.zip" "$exe" 42 > "$tmp/n.log" 2>&1; then rc=0; else rc=$?; fi
if [ $rc -eq 2 ] && grep -q "there is no chapter '42'" "$tmp/n.log" && [ ! -e "$tmp/n.zip" ]; then
    ok "CHAPTER=42: one line, exit 2, no zip"
else
    bad "CHAPTER=42: one line, exit 2, no zip" "exit $rc: $(cat "$tmp/n.log")"
fi
finish
