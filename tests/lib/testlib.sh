# testlib.sh - sourced by the script tests in tests/*.sh: one line per
# check ("NAME what: OK" or "...: FAIL" with indented details) and a
# closing "NAME: P passed, F failed". Set SUITE before sourcing.
pass=0
fail=0
# use_tmpdir: a fresh directory in $tmp, removed when the script exits
use_tmpdir() {
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
}
ok()  { pass=$((pass + 1)); echo "$SUITE $1: OK"; }
bad() {
    fail=$((fail + 1)); echo "$SUITE $1: FAIL"
    [ -n "${2:-}" ] && printf '%s\n' "$2" | sed 's/^/    /'
    return 0
}
# finish: the summary line, and the exit status of the script
finish() {
    echo "$SUITE: $pass passed, $fail failed"
    [ $fail -eq 0 ]
}
