#!/bin/sh
# autoreg compress and decompress (chapter 9) on small .amat data (amat
# in lib/testlib.sh): the round trip gives back the test images bit for
# bit (IDX, PBM), and bad files and mismatched checkpoints get one line,
# exit 2, and no output file.
#   tests/compress.sh AUTOREG
set -u
autoreg=${1:-build/solutions/autoreg}
SUITE=compress
. "$(dirname "$0")/lib/testlib.sh"
use_tmpdir

mkdir -p "$tmp/data"
amat "$tmp/data" train 100 1
amat "$tmp/data" valid 20 2
amat "$tmp/data" test 30 3
data="amat:$tmp/data"
"$autoreg" train --model fvsbn --data "$data" --epochs 2 --batch 20 \
    --quiet --out "$tmp/fvsbn" > /dev/null 2>&1
"$autoreg" train --model nade --hidden 8 --data "$data" --epochs 2 \
    --batch 20 --quiet --out "$tmp/nade" > /dev/null 2>&1
ck=$tmp/nade/model.ckpt

# check NAME CMD...: exit 0
check() {
    name=$1; shift
    if "$@" > "$tmp/out" 2> "$tmp/err"; then ok "$name"
    else bad "$name" "$(cat "$tmp/err")"; fi
}
check "compress 30 test images with a NADE" \
    "$autoreg" compress --checkpoint "$ck" --data "$data" --out "$tmp/t.arcz"
grep -q "compressed 30 images of 784 pixels with the nade" "$tmp/out" &&
    ok "the summary names the images and the model" ||
    bad "the summary names the images and the model" "$(cat "$tmp/out")"
check "decompress to IDX" "$autoreg" decompress --checkpoint "$ck" \
    --in "$tmp/t.arcz" --out "$tmp/t.idx"
# the IDX's pixels (after its 16-byte header) against the .amat's digits
tail -c +17 "$tmp/t.idx" | od -An -v -tu1 | tr -d ' \n' > "$tmp/got"
tr -d ' \n' < "$tmp/data/binarized_mnist_test.amat" > "$tmp/want"
if [ -s "$tmp/got" ] && cmp -s "$tmp/got" "$tmp/want"; then
    ok "the decoded images are the test images, bit for bit"
else bad "the decoded images are the test images, bit for bit"; fi
check "decompress to PBM" "$autoreg" decompress --checkpoint "$ck" \
    --in "$tmp/t.arcz" --out "$tmp/t.pbm" --quiet
head -c 2 "$tmp/t.pbm" | grep -q P1 && ok "the PBM is a bitmap" ||
    bad "the PBM is a bitmap" "$(head -c 40 "$tmp/t.pbm")"
check "compress with an FVSBN, --n 7" "$autoreg" compress --checkpoint \
    "$tmp/fvsbn/model.ckpt" --data "$data" --n 7 --out "$tmp/f.arcz" --quiet

# expect STATUS FRAGMENT OUTFILE ARGS...: status, stderr, nothing written
expect() {
    want=$1 frag=$2 out=$3
    shift 3
    rm -f "$out"
    "$autoreg" "$@" > /dev/null 2> "$tmp/err"
    rc=$?
    name=$(printf '%s' "$frag" | cut -c 1-70)
    left=$(find "$tmp" -name '*.tmp.*')
    if [ $rc -eq "$want" ] && grep -q -- "$frag" "$tmp/err" &&
       [ "$(wc -l < "$tmp/err")" -le 2 ] && [ ! -e "$out" ] && [ -z "$left" ]; then
        ok "refused: $name"
    else
        bad "refused: $name" "exit $rc, want $want: $(cat "$tmp/err") $left"
    fi
}
size=$(wc -c < "$tmp/t.arcz")
head -c $((size - 3)) "$tmp/t.arcz" > "$tmp/short.arcz"
expect 2 "short.arcz: truncated" "$tmp/o.idx" decompress --checkpoint "$ck" \
    --in "$tmp/short.arcz" --out "$tmp/o.idx"
head -c 30 "$tmp/t.arcz" > "$tmp/head.arcz"
expect 2 "head.arcz: truncated: 30 bytes" "$tmp/o.idx" decompress \
    --checkpoint "$ck" --in "$tmp/head.arcz" --out "$tmp/o.idx"
{ head -c 70 "$tmp/t.arcz"; printf 'Z'; tail -c +72 "$tmp/t.arcz"; } > "$tmp/bad.arcz"
expect 2 "bad.arcz: the payload is corrupted" "$tmp/o.idx" decompress \
    --checkpoint "$ck" --in "$tmp/bad.arcz" --out "$tmp/o.idx"
{ printf 'ARCZ\002'; tail -c +6 "$tmp/t.arcz"; } > "$tmp/v2.arcz"
expect 2 "v2.arcz: version 2; this autoreg reads version 1" "$tmp/o.idx" \
    decompress --checkpoint "$ck" --in "$tmp/v2.arcz" --out "$tmp/o.idx"
expect 2 "t.arcz was compressed with another checkpoint" "$tmp/o.idx" \
    decompress --checkpoint "$tmp/fvsbn/model.ckpt" --in "$tmp/t.arcz" \
    --out "$tmp/o.idx"
expect 2 "not a file of autoreg compress" "$tmp/o.idx" decompress \
    --checkpoint "$ck" --in "$ck" --out "$tmp/o.idx"
expect 2 "--out must end in .idx, .pgm or .pbm" "$tmp/o.txt" decompress \
    --checkpoint "$ck" --in "$tmp/t.arcz" --out "$tmp/o.txt"
expect 2 "--n 31, but the test split" "$tmp/o.arcz" compress --checkpoint \
    "$ck" --data "$data" --n 31 --out "$tmp/o.arcz"
expect 2 "missing --checkpoint, --data and --out" "$tmp/o.arcz" compress
expect 2 "missing --in" "$tmp/o.idx" decompress --checkpoint "$ck" \
    --out "$tmp/o.idx"
finish
