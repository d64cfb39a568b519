#!/bin/sh
# Bad command lines: each gets one clear error line (plus at most a usage
# hint) on stderr and exit status 2, never a crash or a usage dump.
#   tests/cli.sh AUTOREG
set -u
autoreg=${1:-build/solutions/autoreg}
SUITE=cli
. "$(dirname "$0")/lib/testlib.sh"
use_tmpdir

# expect STATUS FRAGMENT ARGS...: the exit status and a fragment of stderr
expect() {
    want=$1 frag=$2
    shift 2
    "$autoreg" "$@" > "$tmp/out" 2> "$tmp/err"
    rc=$?
    lines=$(wc -l < "$tmp/err")
    name=$(printf 'autoreg %s' "$*" | cut -c 1-100)
    if [ $rc -eq "$want" ] && grep -q -- "$frag" "$tmp/err" && [ "$lines" -le 2 ]; then
        ok "$name"
    else
        bad "$name" "exit $rc, want $want: $(head -n 3 "$tmp/err")"
    fi
}

printf 'junk' > "$tmp/junk.ckpt"
expect 2 "unknown command 'nope'" nope
expect 2 "unknown option '--bogus'" train --bogus
expect 2 "missing value after '--epochs'" train --model fvsbn --data mnist --epochs
expect 2 "--epochs expects an integer in 1..100000, got '0'" train --epochs 0
expect 2 "--epochs expects an integer in 1..100000, got '-1'" train --epochs -1
expect 2 "--batch expects an integer in 1..100000, got '1000000000000'" train --batch 1000000000000
expect 2 "--hidden expects an integer in 1..100000 or two (N,N2), got '0'" train --hidden 0
expect 2 "--lr expects a positive number, got 'x'" train --lr x
expect 2 "--lr expects a positive number, got '-1'" train --lr -1
expect 2 "--seed expects a non-negative integer, got '-3'" train --seed -3
expect 2 "missing --model" train --data mnist
expect 2 "--kernel expects plain or tiled, got 'fast'" train --model fvsbn --data mnist --kernel fast
expect 2 "--kernel tiled is for --model fvsbn, nade, made or pixelcnn only, not 'mlp'" train --model mlp --data mnist --kernel tiled
expect 2 "--masks and --order are for --model made only, not 'nade'" train --model nade --data mnist --masks 4
expect 2 "--masks expects an integer in 1..64, got '0'" train --model made --data mnist --masks 0
expect 2 "--order expects raster or random, got 'zigzag'" train --model made --data mnist --order zigzag
expect 2 "--hidden H,H2 (two hidden layers) is for --model made only, not 'nade'" train --model nade --data mnist --hidden 5,6
expect 2 "--kernel tiled trains a made with one hidden layer, not '--hidden H,H2'" train --model made --data mnist --hidden 5,6 --kernel tiled
expect 2 "--hidden expects an integer in 1..100000 or two (N,N2), got '5,x'" train --model made --data mnist --hidden 5,x
expect 2 "--hidden expects an integer in 1..100000 or two (N,N2), got '5,0'" train --model made --data mnist --hidden 5,0
expect 2 "--hidden expects an integer in 1..100000 or two (N,N2), got '5,6,7'" train --model made --data mnist --hidden 5,6,7
expect 2 "unknown option '--kernel'" eval --checkpoint x --data mnist --kernel tiled
expect 2 "--model expects fvsbn, mlp, nade, made or pixelcnn, got 'cnn'" train --model cnn --data mnist
expect 2 "--model pixelcnn takes --channels and --layers, not '--hidden'" train --model pixelcnn --data mnist --hidden 8
expect 2 "--channels and --layers are for --model pixelcnn only, not 'made'" train --model made --data mnist --layers 2
expect 2 "--channels expects an integer in 1..64, got '65'" train --model pixelcnn --data mnist --channels 65
expect 2 "unknown data set 'cifar'" train --model fvsbn --data cifar --data-dir "$tmp"
expect 2 "run 'make data' first" train --model fvsbn --data mnist --data-dir "$tmp"
expect 2 "junk.ckpt: truncated header" eval --checkpoint "$tmp/junk.ckpt" --data mnist
expect 2 "none.ckpt: No such file" sample --checkpoint "$tmp/none.ckpt" --out "$tmp/s.pgm"
expect 2 "missing --checkpoint and --out" sample --n 5
expect 2 "--split expects train, valid or test, got 'dev'" eval --checkpoint x --data mnist --split dev
expect 2 "no experiment for chapter '10'" experiment 10
expect 2 "--out is longer than 900 bytes" experiment 3 --out "$(printf "%0950d" 0)"
expect 2 "expected 'prepare NAME' or 'info NAME'" data
expect 2 "cannot prepare 'cifar'" data prepare cifar
expect 2 "$tmp/run/train.state: no training state to resume" train --model fvsbn --data mnist --out "$tmp/run" --resume
expect 2 "unknown option '--resume'" eval --checkpoint x --data mnist --resume
expect 2 "--out is longer than 900 bytes" train --model fvsbn --data mnist --out "$(printf '%0950d' 0)"
expect 2 "prepare mnist needs --json DIR" data prepare mnist
expect 2 "unexpected argument 'x'" train --model fvsbn x

mkfifo "$tmp/fifo"
expect 2 "fifo: cannot write: not a regular file" sample --checkpoint "$(dirname "$0")/fuzz/corpus/checkpoint/fvsbn-d3" --out "$tmp/fifo"
# An experiment that fails prints one line, exits with its status (1:
# an output cannot be written) and leaves no half-written file: chapter
# 1 writes joint.tsv and chain.tsv, then finds a directory at
# sampling.tsv.
mkdir -p "$tmp/e1/sampling.tsv"
expect 1 "sampling.tsv: cannot write: not a regular file" experiment 1 --out "$tmp/e1"
left=$(find "$tmp/e1" -name '*.tmp.*')
name="a failed experiment: one line on stderr, no .tmp file"
if [ "$(wc -l < "$tmp/err")" -eq 1 ] && [ -z "$left" ] &&
   [ -f "$tmp/e1/chain.tsv" ]; then
    ok "$name"
else
    bad "$name" "$(cat "$tmp/err") $left"
fi
# Appendix C reads the kernels.tsv of the chapters beside its --out
# (here two of them, made up) and writes each row's GFLOP/s and its
# share of the peak it measured; a chapter that did not run has no row.
mkdir -p "$tmp/ec/ch03" "$tmp/ec/ch05"
printf 'kernel\tcode\ts/epoch\timages/s\tGFLOP/s\tbest epoch\ttest NLL\n' |
    tee "$tmp/ec/ch03/kernels.tsv" > "$tmp/ec/ch05/kernels.tsv"
printf 'plain\tx\t1\t1\t2.5\t3\t100\ntiled\tx\t1\t1\t7.5\t3\t100\n' >> "$tmp/ec/ch03/kernels.tsv"
printf 'plain\tx\t1\t1\t4.0\t3\t90\ntiled\tx\t1\t1\t12.0\t3\t90\n' >> "$tmp/ec/ch05/kernels.tsv"
name="experiment C: the chapters' rates against the peak it measures"
if "$autoreg" experiment C --out "$tmp/ec/chC" > /dev/null 2> "$tmp/err" &&
   awk -F '\t' '$1 == "peak_all" { p = $2 } END { exit !(p > 0) }' "$tmp/ec/chC/values.tsv" &&
   awk -F '\t' -v peak="$(awk -F '\t' '$1 == "peak_all" { print $2 }' "$tmp/ec/chC/values.tsv")" '
        NR > 1 { n++; want[$1] = $3
                 # the peak the share implies, against the one printed (to
                 # the unit; the share to 0.1): a slow build has a small peak
                 imp = 100 * $3 / $4; tol = 0.5 + imp * 0.05 / $4 + 0.01
                 if (imp - peak > tol || peak - imp > tol) bad = 1 }
        END { exit !(n == 4 && !bad && want["FVSBN plain"] == 2.5 && want["FVSBN tiled"] == 7.5 &&
                     want["NADE plain"] == 4 && want["NADE blocked"] == 12) }' "$tmp/ec/chC/rates.tsv" &&
   grep -q '^best_kernel	NADE$' "$tmp/ec/chC/values.tsv"; then
    ok "$name"
else
    bad "$name" "$(cat "$tmp/err" "$tmp/ec/chC/rates.tsv" 2>/dev/null)"
fi
expect 2 "unknown option '--bogus'" complete --bogus
expect 2 "missing --checkpoint and --out" complete --n 3
expect 2 "--n expects an integer in 1..1000, got '0'" complete --checkpoint x --out y --n 0
expect 2 "--rows expects an integer in 0..4096, got 'x'" complete --checkpoint x --out y --rows x
expect 2 "--split expects train, valid or test, got 'dev'" complete --checkpoint x --out y --split dev
# the same mistake, the same message: parsers that used to disagree
expect 2 "a .pbm holds only black and white; use .pgm or a matrix file, not 'y.pbm'" complete --checkpoint x --out y.pbm
expect 2 "missing --data" eval --checkpoint x
expect 2 "unknown option '-x'" train -x
expect 2 "unknown option '-x'" data info mnist -x
expect 2 "unknown option '--epochs'" eval --checkpoint x --data mnist --epochs 3
expect 2 "unknown option '--split'" sample --checkpoint x --out y --split dev
expect 2 "unknown option '--quiet'" complete --checkpoint x --out y --quiet
expect 2 "--seed expects a non-negative integer, got '-1'" complete --checkpoint x --out y --seed -1
expect 2 "--seed expects a non-negative integer, got '-1'" experiment 3 --seed -1
expect 2 "empty value for '--out'" experiment 3 --out ""
expect 2 "empty value for '--out'" sample --checkpoint x --out ""
expect 2 "--data-dir is longer than 900 bytes" data info mnist --data-dir "$(printf '%0950d' 0)"
expect 2 "unexpected argument 'x'" experiment 3 x
expect 2 "unexpected argument 'x'" complete x
expect 2 "missing value after '--seed'" experiment 3 --seed
expect 2 "junk.ckpt: truncated header" complete --checkpoint "$tmp/junk.ckpt" --out "$tmp/c.pgm"
expect 2 "fvsbn checkpoint; completion needs nade or made" complete --checkpoint "$(dirname "$0")/fuzz/corpus/checkpoint/fvsbn-d3" --out "$tmp/c.pgm"
expect 2 "--kernel tiled samples a nade, not a fvsbn" sample --checkpoint "$(dirname "$0")/fuzz/corpus/checkpoint/fvsbn-d3" --out "$tmp/s.pgm" --kernel tiled
expect 2 "--kernel expects plain or tiled, got 'fast'" sample --checkpoint x --out "$tmp/s.pgm" --kernel fast

# sample --kernel tiled: a NADE's batched sampler writes the N samples
# and says how fast
mkdir -p "$tmp/data"
for split in train valid test; do amat "$tmp/data" $split 20 1; done
"$autoreg" train --model nade --hidden 5 --data "amat:$tmp/data" --batch 10 \
    --epochs 1 --quiet --out "$tmp/nade" > /dev/null 2>&1
if "$autoreg" sample --checkpoint "$tmp/nade/model.ckpt" --out "$tmp/s.pbm" \
    --n 30 --kernel tiled > "$tmp/out" 2> "$tmp/err" &&
    grep -q "wrote 30 samples to .*samples per second, --kernel tiled" "$tmp/out" &&
    [ "$(head -c 2 "$tmp/s.pbm")" = "P1" ]; then
    ok "sample --kernel tiled: a nade's 30 samples, with their rate"
else
    bad "sample --kernel tiled: a nade's 30 samples, with their rate" \
        "$(cat "$tmp/out" "$tmp/err" | head -n 3)"
fi

finish
