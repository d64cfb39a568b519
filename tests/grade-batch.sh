#!/bin/sh
# scripts/grade-batch on a generated class of five, chapters 1-3:
# alice hands in every solution (folders), bob an empty folder, carol a
# zip (.ZIP) of chapters 1 and 2 as bare files, dave everything with
# chapter 3 broken, eve chapter 1 with tests/ and points of her own; a
# stray frank.c is skipped with a warning. grades.csv
# must have the right points for each, and each student a grade.txt.
set -u
SUITE=grade-batch
. "$(dirname "$0")/lib/testlib.sh"
use_tmpdir
class=$tmp/class
mkdir -p "$class/alice/exercises" "$class/bob" "$tmp/carol" "$class/dave/exercises" \
         "$class/eve/exercises/ch01" "$class/eve/tests"
for c in 01 02 03; do
    cp -r "solutions/ch$c" "$class/alice/exercises/"
    cp -r "solutions/ch$c" "$class/dave/exercises/"
done
echo 'this is not C' >> "$class/dave/exercises/ch03/fvsbn.c"
cp solutions/ch01/tabular.c solutions/ch02/fvsbn3.c "$tmp/carol/"
(cd "$tmp/carol" && zip -q "$class/carol.ZIP" tabular.c fvsbn3.c)
echo 'int x;' > "$class/frank.c"
cp solutions/ch01/tabular.c "$class/eve/exercises/ch01/"
printf 'int main(void) { return 0; }\n' > "$class/eve/tests/test_ch02.c"
printf 'ch02\tanything\t1000\n' > "$class/eve/tests/points.tsv"

p1=$(awk -F '\t' '$1 == "ch01" { s += $3 } END { print s }' tests/points.tsv)
p2=$(awk -F '\t' '$1 == "ch02" { s += $3 } END { print s }' tests/points.tsv)
p3=$(awk -F '\t' '$1 == "ch03" { s += $3 } END { print s }' tests/points.tsv)
if CHAPTERS="1 2 3" scripts/grade-batch "$class" "$tmp/out" > "$tmp/log" 2>&1; then
    ok "grade-batch grades the class of five and exits 0"
else
    bad "grade-batch grades the class of five and exits 0" "$(tail -n 5 "$tmp/log")"
fi
want="student,ch01,ch02,ch03,total
alice,$p1,$p2,$p3,$((p1 + p2 + p3))
bob,0,0,0,0
carol,$p1,$p2,0,$((p1 + p2))
dave,$p1,$p2,0,$((p1 + p2))
eve,$p1,0,0,$p1"
got=$(cat "$tmp/out/grades.csv" 2>/dev/null)
if [ "$got" = "$want" ]; then
    ok "grades.csv: full, empty, partial (a zip), broken chapter 3 (0 there only), own tests ignored"
else
    bad "grades.csv: full, empty, partial (a zip), broken chapter 3 (0 there only), own tests ignored" \
        "got:
$got
want:
$want"
fi
if grep -q "skipped $class/frank.c: neither a student's folder nor a .zip" "$tmp/log"; then
    ok "a file that is neither a folder nor a zip is skipped with a warning naming it"
else
    bad "a file that is neither a folder nor a zip is skipped with a warning naming it" "$(head -n 3 "$tmp/log")"
fi
n=0
for s in alice bob carol dave eve; do
    grep -q '^Score: ' "$tmp/out/$s/grade.txt" 2>/dev/null && n=$((n + 1))
done
if [ $n -eq 5 ] && grep -q 'exercises/ch03/fvsbn.c does not compile' "$tmp/out/dave/grade.txt"; then
    ok "every student has a grade.txt with a Score line; dave's names the file that does not compile"
else
    bad "every student has a grade.txt with a Score line; dave's names the file that does not compile" \
        "$n of 5; $(tail -n 3 "$tmp/out/dave/grade.txt" 2>/dev/null)"
fi
if [ ! -e "$tmp/out/.scratch" ]; then ok "no scratch tree is left behind"; else bad "no scratch tree is left behind"; fi
if CHAPTERS="1 2 3" scripts/grade-submission "$class/dave" > "$tmp/one.log" 2>&1; then rc=0; else rc=$?; fi
if [ $rc -eq 1 ] && [ "$(cat "$tmp/one.log")" = "Score: $((p1 + p2))/$((p1 + p2 + p3))" ] &&
   grep -q 'fvsbn.c does not compile' "$class/dave/grade.txt" && [ -s "$class/dave/results.json" ]; then
    ok "grade-submission grades one of them alike: exit 1, its Score line, DIR/grade.txt and results.json"
else
    bad "grade-submission grades one of them alike: exit 1, its Score line, DIR/grade.txt and results.json" "exit $rc: $(cat "$tmp/one.log")"
fi
rm -f "$class/dave/grade.txt" "$class/dave/results.json"
if scripts/grade-batch "$class" "$class/out" > "$tmp/log3" 2>&1; then rc=0; else rc=$?; fi
if [ $rc -eq 2 ] && grep -q 'lies inside the submissions' "$tmp/log3" && [ -d "$class/alice" ] && [ ! -e "$class/out" ]; then
    ok "OUT inside the class folder is refused (exit 2), nothing removed or created"
else
    bad "OUT inside the class folder is refused (exit 2), nothing removed or created" "exit $rc: $(cat "$tmp/log3")"
fi
if scripts/grade-batch "$tmp/nothing" "$tmp/o2" > "$tmp/log2" 2>&1; then rc=0; else rc=$?; fi
if [ $rc -eq 2 ] && grep -q 'no such directory' "$tmp/log2"; then
    ok "a missing class folder: one line naming it, exit 2"
else
    bad "a missing class folder: one line naming it, exit 2" "exit $rc: $(cat "$tmp/log2")"
fi
finish
