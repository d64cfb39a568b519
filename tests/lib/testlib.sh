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
# gradescope_json FILE KEYS: FILE against Gradescope's results.json
# (top-level keys exactly KEYS, each test's six fields, statuses, scores
# all or nothing and adding up); prints "score max failed", or
# "invalid: why" (python3's json parser)
gradescope_json() {
    python3 - "$1" "$2" <<'EOF'
import json, sys
try:
    r = json.load(open(sys.argv[1]))
    assert set(r) == set(sys.argv[2].split()), sorted(r)
    if "stdout_visibility" in r:
        assert r["stdout_visibility"] in ("hidden", "visible", "after_due_date", "after_published")
    if "execution_time" in r:
        assert isinstance(r["execution_time"], int) and r["execution_time"] >= 0
    for t in r["tests"]:
        assert set(t) == {"name", "score", "max_score", "status", "output", "visibility"}, sorted(t)
        assert t["status"] in ("passed", "failed"), t["status"]
        assert t["score"] == (t["max_score"] if t["status"] == "passed" else 0), t
    assert r["score"] == sum(t["score"] for t in r["tests"]), "the scores do not add up"
    print(r["score"], sum(t["max_score"] for t in r["tests"]),
          sum(t["status"] == "failed" for t in r["tests"]))
except Exception as e:
    print("invalid:", repr(e))
EOF
}
