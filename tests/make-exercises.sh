#!/bin/sh
# Tests of scripts/make-exercises on small generated trees: a good file
# is transformed as documented; every kind of bad marker stops it with
# an error naming file and line, and leaves the destination untouched.
set -u
gen=scripts/make-exercises
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
SUITE=make-exercises
. "$(dirname "$0")/lib/testlib.sh"

mkdir -p "$tmp/good/ch09"
cat > "$tmp/good/ch09/a.c" <<'C'
//> tag-one
int f(int x) {
    /* BEGIN SOLUTION 9.1 */
    return x + 1;
    /* END SOLUTION */
}
//< tag-one
int g(void) {
        /* BEGIN SOLUTION 9.2 */
        return 2;
        /* END SOLUTION */
}
//> tag-two
static int k = 3;
//< tag-two
int h(void) {
    int y = k;
//> tag-three
    return y;
//< tag-three
}
C
cat > "$tmp/expected.c" <<'C'
int f(int x) {
    EXERCISE_TODO("9.1");
}
int g(void) {
        EXERCISE_TODO("9.2");
}
static int k = 3;
int h(void) {
    int y = k;
    return y;
}
C
if $gen "$tmp/good" "$tmp/out" >/dev/null 2>&1 && cmp -s "$tmp/out/ch09/a.c" "$tmp/expected.c"; then
    ok "replaces regions, keeps indentation, drops book markers"
else
    bad "replaces regions, keeps indentation, drops book markers" "$(diff "$tmp/expected.c" "$tmp/out/ch09/a.c" 2>&1 | head -5)"
fi
# where each book region went: the function of exercise 9.1, a line at
# file scope, a line counted from the signature of h
printf 'tag-one\t9.1\tch09/a.c\tf\tf:0-2\ntag-two\t-\tch09/a.c\t-\t7-7\ntag-three\t-\tch09/a.c\th\th:2-2\n' > "$tmp/expected.tsv"
if grep -v '^#' "$tmp/out/listings.tsv" 2>/dev/null | cmp -s - "$tmp/expected.tsv"; then
    ok "writes listings.tsv: where each book region is in the exercises"
else
    bad "writes listings.tsv: where each book region is in the exercises" "$(cat "$tmp/out/listings.tsv" 2>&1)"
fi
if [ "$($gen --list "$tmp/good" | tr '\n' ' ')" = "9.1 9.2 " ]; then
    ok "--list prints the exercise ids"
else
    bad "--list prints the exercise ids"
fi

# check_bad NAME EXPECTED-MESSAGE-FRAGMENT FILE-BODY (a printf format)
check_bad() {
    name=$1 expect=$2
    rm -rf "$tmp/bad" && mkdir -p "$tmp/bad/ch09" "$tmp/dst"
    # shellcheck disable=SC2059
    printf "$3" > "$tmp/bad/ch09/b.c"
    echo keep > "$tmp/dst/keep"
    msg=$($gen "$tmp/bad" "$tmp/dst" 2>&1 >/dev/null); rc=$?
    if [ $rc -ne 0 ] && echo "$msg" | grep -q "$expect" && [ -f "$tmp/dst/keep" ] \
       && [ "$(echo "$msg" | wc -l)" -eq 1 ]; then
        ok "rejects $name"
    else
        bad "rejects $name" "exit $rc, message: $msg"
    fi
}
check_bad "an unclosed region" "ch09/b.c:2: region 9.1 is never closed" \
    'a\n/* BEGIN SOLUTION 9.1 */\nb\n'
check_bad "END without BEGIN" "ch09/b.c:2: END SOLUTION without" \
    'a\n/* END SOLUTION */\n'
check_bad "nested regions" "ch09/b.c:2: BEGIN SOLUTION inside region 9.1 opened at line 1" \
    '/* BEGIN SOLUTION 9.1 */\n/* BEGIN SOLUTION 9.2 */\n/* END SOLUTION */\n/* END SOLUTION */\n'
check_bad "a marker that is not alone on its line" "ch09/b.c:1: malformed marker" \
    'x = 1; /* BEGIN SOLUTION 9.1 */\n/* END SOLUTION */\n'
check_bad "a marker without an n.m id" "ch09/b.c:1: malformed marker" \
    '/* BEGIN SOLUTION nine */\n/* END SOLUTION */\n'
check_bad "an id used twice" "exercise 9.1 is defined more than once" \
    '/* BEGIN SOLUTION 9.1 */\n/* END SOLUTION */\n/* BEGIN SOLUTION 9.1 */\n/* END SOLUTION */\n'

finish
