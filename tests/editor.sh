#!/bin/sh
# Editor setup (README): the build writes compile_commands.json with one
# entry per C file of src/, solutions/, exercises/ and the test suites,
# each with the command make uses (the exercises' with their relaxed
# warnings), and clangd reads it without an error.
set -u
SUITE=editor
. "$(dirname "$0")/lib/testlib.sh"
make --no-print-directory -s compile_commands.json > /dev/null 2>&1
want=$( (ls src/*/*.c solutions/ch*/*.c exercises/ch*/*.c tests/test_*.c tests/runner.c) | sort)
got=$(sed -n 's|.*"file": "'"$(pwd)"'/\([^"]*\)".*|\1|p' compile_commands.json 2>/dev/null | sort)
if [ -n "$got" ] && [ "$got" = "$want" ]; then
    ok "compile_commands.json has one entry per C file of src/, solutions/, exercises/ and tests/ ($(echo "$got" | wc -l | tr -d ' '))"
else
    bad "compile_commands.json has one entry per C file of src/, solutions/, exercises/ and tests/" \
        "$(printf '%s\n' "$want" > /tmp/editor-want.$$; printf '%s\n' "$got" | diff /tmp/editor-want.$$ - | head -n 5; rm -f /tmp/editor-want.$$)"
fi
ex=$(grep '"file": "[^"]*/exercises/ch05/nade.c"' compile_commands.json)
if echo "$ex" | grep -q -- '-Wno-unused-parameter' && echo "$ex" | grep -q -- '-c exercises/ch05/nade.c -o build/exercises/obj/'; then
    ok "an exercise's entry is make's command for it, with the stubs' relaxed warnings"
else
    bad "an exercise's entry is make's command for it, with the stubs' relaxed warnings" "$ex"
fi
if command -v clangd > /dev/null 2>&1; then
    out=$(timeout 120 clangd --check=exercises/ch05/nade.c 2>&1)
    if echo "$out" | grep -q 'Loaded compilation database from' && echo "$out" | grep -q 'All checks completed, 0 errors'; then
        ok "clangd --check on exercises/ch05/nade.c: the database is read, 0 errors"
    else
        bad "clangd --check on exercises/ch05/nade.c: the database is read, 0 errors" "$(echo "$out" | grep -E '^E\[|All checks' | head -n 5)"
    fi
else
    echo "editor: clangd is not installed: its check is skipped (not counted)"
fi
finish
