#!/bin/sh
# The book's listings, checked without building the book: every
# include="tag" of the chapters names exactly one //> tag ... //< tag
# region in solutions/, src/ or tests/, and each region, with the
# solution markers dropped and the common indentation removed (as the
# Pandoc filter book/workbook.lua shows it), fits in 72 columns.
set -u
SUITE=listings
. "$(dirname "$0")/lib/testlib.sh"

files=$(find solutions src tests -name '*.[ch]' | LC_ALL=C sort)
# tag<TAB>file<TAB>widest line after dedent, one line per region
regions=$(for f in $files; do
    awk -v f="$f" '
    # regions may nest: every open region collects the line
    /^[ \t]*\/\/> [A-Za-z0-9_.-]+[ \t]*$/ { open[$2] = 1; n[$2] = 0; next }
    /^[ \t]*\/\/< [A-Za-z0-9_.-]+[ \t]*$/ {
        t = $2; ind = 1e9; w = 0
        for (i = 1; i <= n[t]; i++) if (line[t, i] ~ /[^ ]/) {
            match(line[t, i], /^ */); if (RLENGTH < ind) ind = RLENGTH }
        for (i = 1; i <= n[t]; i++)
            if (length(line[t, i]) - ind > w) w = length(line[t, i]) - ind
        printf "%s\t%s\t%d\n", t, f, w; delete open[t]; next }
    !/^[ \t]*\/\* (BEGIN SOLUTION [0-9.]+|END SOLUTION) \*\/[ \t]*$/ {
        for (t in open) line[t, ++n[t]] = $0 }
    ' "$f"
done)

wide=$(printf '%s\n' "$regions" | awk -F '\t' '$3 > 72 { print $1 " in " $2 ": " $3 " columns" }')
if [ -z "$wide" ]; then ok "every region fits in 72 columns"; else bad "every region fits in 72 columns" "$wide"; fi

dups=$(printf '%s\n' "$regions" | cut -f1 | sort | uniq -d)
if [ -z "$dups" ]; then ok "every tag names one region"; else bad "every tag names one region" "$dups"; fi

missing=""
for tag in $(grep -ho 'include="[^"]*"' chapters/*.md | sed 's/include="\(.*\)"/\1/' | sort -u); do
    printf '%s\n' "$regions" | cut -f1 | grep -qx "$tag" || missing="$missing $tag"
done
if [ -z "$missing" ]; then ok "every listing the chapters include exists"; else bad "every listing the chapters include exists" "$missing"; fi

finish
