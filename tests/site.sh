#!/bin/sh
# The handbook as a web site: scripts/site builds two pages from
# tests/site/ (listings, a run's number, a figure, a table, links across
# pages, math), for the reference and for a student and scripts/check-site opens them in headless Chromium;
# then a page whose figure is gone must fail the check. make book runs
# the same check on the real site (build/html, screenshots in
# build/html-shots).
set -u
SUITE=site
. "$(dirname "$0")/lib/testlib.sh"
use_tmpdir
b=$tmp/build
mkdir -p "$b/ch01" "$b/figures"
printf 'n\t1234567\n' > "$b/ch01/values.tsv"
printf 'model\tNLL\nNADE\t94.01\n' > "$b/ch01/table.tsv"
printf 'P1\n4 4\n0 1 0 1\n1 0 1 0\n0 1 0 1\n1 0 1 0\n' | pnmtopng > "$b/figures/ch01-fixture.png" 2> /dev/null
if BOOK_BUILD=$b DATE="site test" scripts/site "$tmp/html" tests/site/01-one.md tests/site/A-two.md > "$tmp/log" 2>&1; then
    ok "scripts/site writes the pages, the contents page and the figures"
else
    bad "scripts/site writes the pages, the contents page and the figures" "$(tail -n 5 "$tmp/log")"
fi
p=$tmp/html/01-one.html
if grep -q '1,234,567' "$p" && grep -q 'href="A-two.html#app:two"' "$p" && grep -q 'href="A-two.html"' "$p" &&
   grep -q '<math' "$tmp/html/A-two.html" && grep -q 'Appendix A: ' "$tmp/html/A-two.html" &&
   grep -q 'class="sourceCode c"' "$p" && grep -q '<span class="dt">float</span>' "$p"; then
    ok "a page has the run's number, highlighted code, a link into the other page, next links; the appendix MathML and its letter"
else
    bad "a page has the run's number, highlighted code, a link into the other page, next links; the appendix MathML and its letter"
fi
if scripts/check-site "$tmp/html" "$tmp/shots" tests/site/01-one.md tests/site/A-two.md > "$tmp/check" 2>&1; then
    ok "every page loads in headless Chromium with no console message, every listing, figure, table and link, a screenshot that is not blank"
else
    bad "every page loads in headless Chromium with no console message, every listing, figure, table and link, a screenshot that is not blank" \
        "$(grep -v ': OK$' "$tmp/check" | head -n 6)"
fi
# a student's site: the exercise's listing is the student's own code
if BOOK_BUILD=$b BOOK_STUDENT=1 LISTING_ROOTS="exercises src tests" scripts/site "$tmp/student" \
       tests/site/01-one.md tests/site/A-two.md > "$tmp/log" 2>&1 &&
   grep -q 'Your code for exercise 1.1' "$tmp/student/01-one.html" &&
   grep -q 'EXERCISE_TODO' "$tmp/student/01-one.html" &&
   ! grep -q 'Your code for exercise' "$tmp/html/01-one.html"; then
    ok "a student's site shows the student's own code for an exercise (the reference site the solution)"
else
    bad "a student's site shows the student's own code for an exercise (the reference site the solution)" "$(tail -n 3 "$tmp/log")"
fi
rm "$tmp/html/figures/ch01-fixture.png"
if scripts/check-site "$tmp/html" "$tmp/shots" tests/site/01-one.md > "$tmp/check2" 2>&1; then rc=0; else rc=$?; fi
if [ $rc -eq 1 ] && grep -q 'image figures/ch01-fixture.png is not a PNG file beside the page' "$tmp/check2"; then
    ok "a page whose figure is missing fails the check, naming the image"
else
    bad "a page whose figure is missing fails the check, naming the image" "exit $rc: $(cat "$tmp/check2")"
fi
finish
