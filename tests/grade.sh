#!/bin/sh
# scripts/grade against both trees (make check has built them): every
# graded test exists, fails on the untouched exercises (Score 0) and
# passes on the solutions (full marks), and results.json is well formed
# with scores that add up.
set -u
SUITE=grade
. "$(dirname "$0")/lib/testlib.sh"
# $1 is build/solutions[-san]/autoreg (as make check passes it)
sol=$(dirname "${1:-build/solutions/autoreg}")
exe=$(echo "$sol" | sed 's|/solutions|/exercises|')

missing=$(grep -v '^#' tests/points.tsv | while IFS="$(printf '\t')" read -r s t p; do
    "$sol/test_$s" --list | grep -qxF "$s $t" || echo "$s $t"
done)
if [ -z "$missing" ]; then ok "every test in tests/points.tsv exists"; else bad "every test in tests/points.tsv exists" "$missing"; fi

n=$(grep -vc '^#' tests/points.tsv)
max=$(grep -v '^#' tests/points.tsv | awk -F '\t' '{ s += $3 } END { print s }')
scripts/grade "$exe" > build/grade-exercises.txt 2>&1
rc=$?
if [ $rc -ne 0 ] && [ "$(tail -n 1 build/grade-exercises.txt)" = "Score: 0/$max" ] \
   && [ "$(grep -c ': FAIL: ' build/grade-exercises.txt)" -eq "$n" ]; then
    ok "untouched exercises: every graded test FAIL, Score: 0/$max, exit 1"
else
    bad "untouched exercises: every graded test FAIL, Score: 0/$max, exit 1" "exit $rc; $(tail -n 2 build/grade-exercises.txt)"
fi

scripts/grade "$sol" > build/grade-solutions.txt 2>&1
rc=$?
if [ $rc -eq 0 ] && [ "$(tail -n 1 build/grade-solutions.txt)" = "Score: $max/$max" ]; then
    ok "solutions: full marks, exit 0"
else
    bad "solutions: full marks, exit 0" "exit $rc; $(tail -n 2 build/grade-solutions.txt)"
fi

# results.json: balanced, one entry per graded test, scores add up
j=build/grade/results.json
check=$(awk '
    { text = text $0 }
    END {
        depth = 0; inq = 0
        for (i = 1; i <= length(text); i++) {
            c = substr(text, i, 1)
            if (inq) { if (c == "\\") i++; else if (c == "\"") inq = 0; continue }
            if (c == "\"") inq = 1
            else if (c == "{" || c == "[") depth++
            else if (c == "}" || c == "]") { depth--; if (depth < 0) bad = 1 }
        }
        if (depth != 0 || inq) bad = 1
        nt = gsub(/"max_score": /, "&", text)
        s = text; sum = 0
        while (match(s, /"score": [0-9]+, "max_score"/)) {
            v = substr(s, RSTART + 9, RLENGTH - 22); sum += v
            s = substr(s, RSTART + RLENGTH)
        }
        match(text, /"score": [0-9]+}$/)
        total = substr(text, RSTART + 9, RLENGTH - 10)
        print (bad ? "unbalanced" : "balanced"), nt, sum, total
    }' "$j")
set -- $check
if [ "$1" = balanced ] && [ "$2" -eq "$n" ] && [ "$3" -eq "$4" ] && [ "$4" -eq "$max" ]; then
    ok "results.json is well formed and its scores add up"
else
    bad "results.json is well formed and its scores add up" "$check"
fi
# and a real JSON parser agrees, where one is installed
if command -v python3 > /dev/null 2>&1; then
    got=$(gradescope_json "$j" "tests score")
    if [ "$got" = "$max $max 0" ]; then
        ok "results.json parses as JSON with Gradescope's fields"
    else
        bad "results.json parses as JSON with Gradescope's fields" "$got"
    fi
fi
finish
