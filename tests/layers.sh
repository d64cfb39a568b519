#!/bin/sh
# src/ by role: each folder is a layer that includes only headers of its
# own folder and of the folders before it, in the Makefile's order
# (SRC_LIB then SRC_PROG): the library never includes the program, and
# there is no circle. Also: every header a file includes exists in
# exactly one folder, and no source sits directly in src/.
set -u
SUITE=layers
. "$(dirname "$0")/lib/testlib.sh"
order="numerics api data models training experiments app"
rank() { i=0; for l in $order; do [ "$l" = "$1" ] && { echo $i; return; }; i=$((i + 1)); done; echo 99; }

loose=$(find src -maxdepth 1 -type f -name '*.[ch]')
folders=$(cd src && ls -d */ | tr -d / | tr '\n' ' ')
if [ -z "$loose" ] && [ "$(echo $folders)" = "$(echo $order | tr ' ' '\n' | LC_ALL=C sort | tr '\n' ' ' | sed 's/ $//')" ]; then
    ok "src/ holds only the folders $order"
else
    bad "src/ holds only the folders $order" "loose files: $loose; folders: $folders"
fi

up=""
for f in src/*/*.[ch]; do
    dir=$(basename "$(dirname "$f")"); r=$(rank "$dir")
    for h in $(sed -n 's/^#include "\([^"]*\)".*/\1/p' "$f"); do
        where=$(ls src/*/"$h" 2>/dev/null)
        n=$(printf '%s\n' "$where" | grep -c .)
        if [ "$n" -ne 1 ]; then up="$up
$f includes $h, found $n times in src/"; continue; fi
        hr=$(rank "$(basename "$(dirname "$where")")")
        [ "$hr" -gt "$r" ] && up="$up
$f ($dir) includes $where"
    done
done
if [ -z "$up" ]; then ok "every include goes to the same layer or one before it"
else bad "every include goes to the same layer or one before it" "$up"; fi
finish
