#!/bin/sh
# The Gradescope bundle (make autograder CHAPTER=1) in a simulated root:
# AUTOGRADER_ROOT stands for /autograder. setup.sh runs once (the
# sanitizer objects of this tree's build seeded first, when there are
# any, so that it only links); then run_autograder on a fresh copy of
# that root for each submission: the untouched exercises (0), the
# solutions (full marks), one that does not compile, one that crashes,
# one that loops forever (a 2 s limit per test), one whose other
# chapter does not compile, one whose helper clashes with the library's,
# one with a backup copy, one that brings its own tests. Every
# results.json is checked against the specification's fields, and its
# scores add up.
set -u
SUITE=autograder
. "$(dirname "$0")/lib/testlib.sh"
use_tmpdir
top=$(pwd)

if ! make --no-print-directory -s autograder CHAPTER=1 > "$tmp/bundle.log" 2>&1; then
    bad "make autograder CHAPTER=1 writes build/autograder.zip" "$(cat "$tmp/bundle.log")"
    finish; exit
fi
listing=$(unzip -Z1 build/autograder.zip)
if echo "$listing" | grep -qx setup.sh && echo "$listing" | grep -qx run_autograder &&
   echo "$listing" | grep -qx 'autoreg-lab/exercises/ch01/tabular.c' &&
   ! echo "$listing" | grep -q '^autoreg-lab/solutions/' &&
   unzip -p build/autograder.zip autograder.conf | grep -qx 'CHAPTER=1'; then
    ok "the bundle has setup.sh and run_autograder at its root, the student tree (no solutions/) and CHAPTER=1"
else
    bad "the bundle has setup.sh and run_autograder at its root, the student tree (no solutions/) and CHAPTER=1" \
        "$(echo "$listing" | head -n 5)"
fi

base=$tmp/base
mkdir -p "$base/source" "$base/submission"
(cd "$base/source" && unzip -q "$top/build/autograder.zip")
tree=$base/source/autoreg-lab
# this tree's sanitizer objects of src/ and tests/ are the same files
[ -d build/common-san/obj ] && mkdir -p "$tree/build" && cp -a build/common-san "$tree/build/"
if AUTOGRADER_ROOT=$base bash "$base/source/setup.sh" > "$tmp/setup.log" 2>&1 &&
   [ -x "$tree/build/exercises-san/test_ch01" ]; then
    ok "setup.sh installs nothing new here and builds the suites against the stubs"
else
    bad "setup.sh installs nothing new here and builds the suites against the stubs" "$(tail -n 5 "$tmp/setup.log")"
fi

# grade NAME [CONF]: run_autograder on a copy of the set-up root with
# the files in $tmp/sub-NAME as the submission; sets out (the root)
grade() {
    out=$tmp/root-$1
    rm -rf "$out"
    cp -a "$base" "$out"
    [ -d "$tmp/sub-$1" ] && cp -a "$tmp/sub-$1/." "$out/submission/"
    [ -n "${2:-}" ] && echo "$2" >> "$out/source/autograder.conf"
    AUTOGRADER_ROOT=$out timeout 300 sh "$out/source/run_autograder" > "$out/stdout" 2>&1
    echo $? > "$out/rc"
}
# valid: results.json as Gradescope's specification has it (testlib.sh)
valid() { gradescope_json "$out/results/results.json" "tests score execution_time output stdout_visibility"; }
max=$(awk -F '\t' '$1 == "ch01" { s += $3 } END { print s }' tests/points.tsv)
n=$(grep -c '^ch01	' tests/points.tsv)
# expect WHAT NAME WANT [GREP]: valid() prints WANT and, given GREP,
# results.json's text has it
expect() {
    got=$(valid)
    if [ "$(cat "$out/rc")" = 0 ] && [ "$got" = "$3" ] &&
       { [ -z "${4:-}" ] || grep -q -e "$4" "$out/results/results.json"; }; then
        ok "$1"
    else
        bad "$1" "exit $(cat "$out/rc"); score max failed: $got (want $3${4:+, and '$4' in results.json})
$(tail -n 3 "$out/stdout")"
    fi
}
sol=solutions/ch01/tabular.c
# broken SED: the solution with SED applied to it
broken() { sed "$1" "$sol"; }

grade untouched
expect "the untouched exercises: score 0, every test failed, run_autograder exits 0" untouched "0 $max $n" \
    'exercise 1.1 is not implemented yet'

mkdir -p "$tmp/sub-full/exercises/ch01"
cp "$sol" "$tmp/sub-full/exercises/ch01/"
grade full
expect "the solutions (as exercises/ch01/tabular.c): full marks" full "$max $max 0"

mkdir -p "$tmp/sub-nocompile/some/folder"
broken 's|/\* BEGIN SOLUTION 1.4 \*/|& int = ;|' > "$tmp/sub-nocompile/some/folder/tabular.c"
grade nocompile
expect "a file that does not compile: score 0, the compiler's message in the output" nocompile "0 $max $n" \
    'tabular.c does not compile:.*error: '

mkdir -p "$tmp/sub-zip" "$tmp/zipped/exercises/ch01"
cp "$sol" "$tmp/zipped/exercises/ch01/"
(cd "$tmp/zipped" && zip -q -r "$tmp/sub-zip/my work.ZIP" exercises)
echo 'int scratch;' > "$tmp/sub-zip/scratch.c"
grade zip
expect "a zip (named with a space, .ZIP) beside a stray .c file: unpacked and graded, full marks" zip \
    "$max $max 0" 'from my work.ZIP: exercises/ch01/tabular.c'

mkdir -p "$tmp/sub-crash"
broken 's|/\* BEGIN SOLUTION 1.4 \*/|& { volatile int *np = 0; *np = 1; }|' > "$tmp/sub-crash/tabular.c"
grade crash
failed=$(grep -c '^ch01 .*: FAIL: ' "$out/stdout")
got=$(valid)
if [ "$failed" -ge 1 ] && [ "$got" = "$((max - failed)) $max $failed" ] &&
   grep -q 'Sanitizer: exercises/ch01/tabular.c' "$out/results/results.json"; then
    ok "a crash (a null store in 1.4) fails only the $failed tests that reach it, with the sanitizer's line; the others pass"
else
    bad "a crash (a null store in 1.4) fails only the tests that reach it, with the sanitizer's line; the others pass" \
        "$got; $(grep ': FAIL: ' "$out/stdout" | head -n 2)"
fi

mkdir -p "$tmp/sub-loop"
broken 's|/\* BEGIN SOLUTION 1.4 \*/|& for (;;) {}|' > "$tmp/sub-loop/tabular.c"
t0=$(date +%s)
grade loop TEST_TIMEOUT=2
secs=$(( $(date +%s) - t0 ))
failed=$(grep -c ': FAIL: Test timeout expired' "$out/stdout")
got=$(valid)
if [ "$failed" -ge 1 ] && [ "$got" = "$((max - failed)) $max $failed" ] && [ "$secs" -lt 120 ] &&
   grep -q 'time limit' "$out/results/results.json"; then
    ok "an infinite loop in 1.4 fails the $failed tests that reach it after the 2 s limit each ($secs s in all); the others pass"
else
    bad "an infinite loop in 1.4 fails the tests that reach it after the 2 s limit each; the others pass" \
        "$got, $secs s; $(grep ': FAIL: ' "$out/stdout" | head -n 2)"
fi

mkdir -p "$tmp/sub-other/exercises/ch01" "$tmp/sub-other/exercises/ch02"
cp "$sol" "$tmp/sub-other/exercises/ch01/"
echo 'this is not C' > "$tmp/sub-other/exercises/ch02/fvsbn3.c"
grade other
expect "a chapter that is not graded and does not compile: its stub stands in, the graded one gets full marks" other \
    "$max $max 0" 'exercises/ch02/fvsbn3.c does not compile; chapter 2 is not graded here'

mkdir -p "$tmp/sub-clash"
{ echo 'double log_sigmoid(double a) { return a; }'; cat "$sol"; } > "$tmp/sub-clash/tabular.c"
grade clash
expect "a helper that is not static and clashes with the library's: score 0, 'does not link' and what to do" clash \
    "0 $max $n" 'does not link (it defines log_sigmoid, which another file already defines: make your helper static'

mkdir -p "$tmp/sub-renamed"
broken 's/^double table_marginal(/double my_table_marginal(/' > "$tmp/sub-renamed/tabular.c"
grade renamed
expect "a function renamed (an undefined reference, no one file to blame): score 0, the linker's message" renamed \
    "0 $max $n" 'undefined reference to .table_marginal'

mkdir -p "$tmp/sub-backup/backup/exercises/ch01" "$tmp/sub-backup/exercises/ch01"
cp exercises/ch01/tabular.c "$tmp/sub-backup/backup/exercises/ch01/"
cp "$sol" "$tmp/sub-backup/exercises/ch01/"
grade backup
expect "two copies of the file: the one at exercises/ch01/ wins over a deeper backup (and the output says so)" backup \
    "$max $max 0" 'other file(s) of that name ignored: backup/exercises/ch01/tabular.c'

mkdir -p "$tmp/sub-tamper/tests" "$tmp/sub-tamper/exercises/ch01"
cp exercises/ch01/tabular.c "$tmp/sub-tamper/exercises/ch01/"
printf 'int main(void) { return 0; }\n' > "$tmp/sub-tamper/tests/test_ch01.c"
printf 'grade:\n\t@echo Score: 10/10\n' > "$tmp/sub-tamper/Makefile"
grade tamper
expect "a submission with its own tests/ and Makefile: only the chapter file is used (score 0)" tamper "0 $max $n"

finish
