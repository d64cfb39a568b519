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
# amat DIR NAME N SEED: DIR/binarized_mnist_NAME.amat, N images of 784
# pixels in stripes that depend on a hidden class (small data for the
# script tests that train)
amat() {
    awk -v n="$3" -v seed="$4" 'BEGIN { srand(seed);
        for (i = 0; i < n; i++) { c = int(rand() * 4); line = "";
            for (j = 0; j < 784; j++) {
                p = ((int(j / 28) + 7 * c) % 28 < 10) ? 0.8 : 0.1;
                line = line (j ? " " : "") (rand() < p ? 1 : 0) }
            print line } }' > "$1/binarized_mnist_$2.amat"
}
