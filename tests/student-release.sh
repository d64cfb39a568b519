#!/bin/sh
# The student release: no solution leaks, the unpacked tree builds
# against exercises/, runs a lab and grades it (Score 0 untouched), and
# its book shows the student's own code.
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
if grep -q '^# Autoregressive Models in C — your lab' "$t/README.md" &&
   ! grep -q -e 'Adopting the workbook' -e 'solutions/' "$t/README.md" &&
   [ -s "$t/VERSION" ] && [ ! -e "$t/book/student-README.md" ]; then
    ok "its README is the students' (no staff section, no solutions/), and VERSION names the commit"
else
    bad "its README is the students' (no staff section, no solutions/), and VERSION names the commit"
fi
if make -C "$t" -s -j"$(nproc 2>/dev/null || echo 2)" all > "$tmp/build.log" 2>&1; then
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

# make submission in the release: the zip is written with a warning for
# the chapter whose tests fail, and, once tabular.c no longer compiles,
# a warning that names the file (no stale test binary is run)
make -C "$t" --no-print-directory submission CHAPTER=1 > "$tmp/sub.log" 2>&1
cp "$t/exercises/ch01/tabular.c" "$tmp/tabular.c"
echo 'this is not C' >> "$t/exercises/ch01/tabular.c"
make -C "$t" --no-print-directory submission CHAPTER=1 > "$tmp/sub2.log" 2>&1
rc=$?
cp "$tmp/tabular.c" "$t/exercises/ch01/tabular.c"
if grep -q "warning: chapter 1's tests do not pass yet" "$tmp/sub.log" && [ $rc -eq 0 ] &&
   grep -q "warning: exercises/ch01/tabular.c does not compile (.*error" "$tmp/sub2.log" &&
   ! grep -q "tests do not pass yet" "$tmp/sub2.log" && [ -s "$t/build/submission.zip" ]; then
    ok "make submission warns for failing tests, and names a file that does not compile; the zip is written"
else
    bad "make submission warns for failing tests, and names a file that does not compile; the zip is written" \
        "$(cat "$tmp/sub.log" "$tmp/sub2.log" | head -n 6)"
fi

# The student book, as the release's make book writes it (the Makefile's
# BOOK_ENV), to Markdown: no run is needed, what did not run is marked.
# student_book OUT: exit status of Pandoc, its stderr in OUT.err.
student_book() {
    (cd "$t" && BOOK_STUDENT=1 LISTING_ROOTS="exercises src tests" \
        pandoc book/metadata.yaml chapters/[0-9][0-9]-*.md chapters/[A-Z]-*.md \
        --lua-filter book/workbook.lua --number-sections \
        --top-level-division=chapter -t markdown --wrap=none) > "$1" 2> "$1.err"
}
have_pandoc=0
if command -v pandoc > /dev/null 2>&1; then have_pandoc=1; fi

# Its listings show the student's code: exercise 3.1 written with a line
# of the student's own (wider than the 72 columns of the reference book),
# fvsbn_sample renamed; no line of a solution region that the release
# does not have elsewhere (in src/, tests/, exercises/ or the chapters).
mine='nll[n] = 0.0; /* my own line, wider than the 72 columns the reference keeps */'
sed -i -e "s|EXERCISE_TODO(\"3.1\");|$mine|" \
    -e 's/^void fvsbn_sample(/void my_fvsbn_sample(/' "$t/exercises/ch03/fvsbn.c"
what="the student book shows the student's code for their exercises"
if [ $have_pandoc -eq 0 ]; then
    bad "$what" "pandoc is missing: scripts/install-deps pandoc (make check runs it)"
elif ! student_book "$tmp/book.md"; then
    bad "$what" "$(cat "$tmp/book.md.err")"
else
    sed -n '/BEGIN SOLUTION/,/END SOLUTION/p' solutions/ch*/*.c |
        sed 's/^[[:space:]]*//' | grep -v -e SOLUTION -e '^$' | sort -u > "$tmp/ref"
    cat "$t"/exercises/ch*/*.c "$t"/src/*/*.[ch] "$t"/tests/*.[ch] "$t"/chapters/*.md |
        sed 's/^[[:space:]]*//' | sort -u > "$tmp/shipped"
    comm -23 "$tmp/ref" "$tmp/shipped" > "$tmp/answers"
    leaked=$(sed 's/^[[:space:]]*//' "$tmp/book.md" | grep -Fx -f "$tmp/answers")
    caption='Your code for exercise 3.1: `fvsbn_forward()` in `exercises/ch03/fvsbn.c`'
    renamed='exercises/ch03/fvsbn.c has no function fvsbn_sample()'
    if grep -qF "    $mine" "$tmp/book.md" && grep -qF "$caption" "$tmp/book.md" &&
       grep -qF "$renamed" "$tmp/book.md" && [ -s "$tmp/answers" ] && [ -z "$leaked" ]; then
        ok "$what"
    else
        bad "$what" "$(grep -n -e 'Your code' -e 'not shown' "$tmp/book.md" | head -n 8)
reference lines in it: $leaked"
    fi
fi

# No instructors' answers: chapters/Z-answers.md is not shipped, none of
# its lines is anywhere in the release, and the student book (rendered
# above) has the questions but no answers appendix.
what="the student release and its book have no instructors' answers"
sed 's/^[[:space:]]*//' chapters/Z-answers.md | awk 'length > 30' > "$tmp/z"
found=$(grep -rlF -f "$tmp/z" "$t" 2>/dev/null | head -n 3)
if [ -e "$t/chapters/Z-answers.md" ] || [ -n "$found" ] || [ ! -s "$tmp/z" ]; then
    bad "$what" "shipped: $t/chapters/Z-answers.md or lines of it in: $found"
elif [ ! -s "$tmp/book.md" ] || grep -q 'Answers for instructors' "$tmp/book.md" ||
     ! grep -q 'Check your understanding' "$tmp/book.md"; then
    bad "$what" "the student book is missing, has the answers, or has no questions"
else
    ok "$what"
fi
finish
