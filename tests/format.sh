#!/bin/sh
# scripts/check-format: the tree follows .clang-format, and a file that
# does not is named with its line (and FIX=1 mends it).
set -u
SUITE=format
. "$(dirname "$0")/lib/testlib.sh"
use_tmpdir
if out=$(scripts/check-format 2>&1); then
    ok "src/, solutions/ and tests/ follow .clang-format ($(echo "$out" | sed 's/^format: \([0-9]*\) files.*/\1 files/'))"
else
    bad "src/, solutions/ and tests/ follow .clang-format" "$out"
fi
mkdir -p "$tmp/t/tests" "$tmp/t/scripts"
cp .clang-format "$tmp/t/"
cp scripts/check-format "$tmp/t/scripts/"
printf 'int f(int x) { return x; }\nint  g(int x)\n{\n  return x;\n}\n' > "$tmp/t/tests/bad.c"
(cd "$tmp/t" && scripts/check-format) > "$tmp/out" 2>&1
rc=$?
if [ $rc -eq 1 ] && grep -q '^    tests/bad.c:2$' "$tmp/out" && ! grep -q 'bad.c:1$' "$tmp/out"; then
    ok "a file that does not follow it: exit 1, its first wrong line named (tests/bad.c:2)"
else
    bad "a file that does not follow it: exit 1, its first wrong line named (tests/bad.c:2)" "exit $rc: $(cat "$tmp/out")"
fi
if (cd "$tmp/t" && FIX=1 scripts/check-format > /dev/null && scripts/check-format > /dev/null); then
    ok "FIX=1 rewrites it to the style, and then it passes"
else
    bad "FIX=1 rewrites it to the style, and then it passes"
fi
finish
