#!/bin/sh
# make bench: the C trainer against its PyTorch peer, side by side.
#
#   tests/bench/bench.sh AUTOREG [EPOCHS]
#
# Both train an FVSBN on data/mnist (8,000 images, stochastic
# binarization) with Adam, step 0.01, batch 100, the same epochs,
# early stopping on validation, on all the machine's cores. Prints
# seconds per epoch (training only), the best epoch and the test NLL of
# each, and checks the targets of issue 4: C at least 5x faster per
# epoch, test NLLs within 1 nat, C's test NLL at most 107 nats.
set -eu
autoreg=$1
epochs=${2:-15}
lr=0.01
batch=100
seed=1
out=build/bench
mkdir -p "$out"
threads=$(nproc)

"$autoreg" train --model fvsbn --data mnist --epochs "$epochs" --lr $lr \
    --batch $batch --seed $seed --out "$out/fvsbn-c" --quiet > /dev/null
c_sec=$(awk -F '\t' '!/^#/ { s += $2; n++ } END { printf "%.4f", s / n }' "$out/fvsbn-c/time.tsv")
c_best=$(awk -F '\t' '!/^#/ && (b == "" || $3 < b) { b = $3; e = $1 } END { print e }' "$out/fvsbn-c/train.tsv")
c_test=$("$autoreg" eval --checkpoint "$out/fvsbn-c/model.ckpt" --data mnist |
         sed 's/.*NLL \([0-9.]*\) nats.*/\1/')

echo "FVSBN on mnist: $epochs epochs, batch $batch, Adam lr $lr, seed $seed, $threads cores"
printf '%-10s %10s %11s %15s\n' "trainer" "s/epoch" "best epoch" "test NLL (nats)"
printf '%-10s %10s %11s %15s\n' "C" "$c_sec" "$c_best" "$c_test"

verdict() { if [ "$1" = 1 ]; then echo "met"; else echo "NOT MET"; fi; }
ok=$(awk -v t="$c_test" 'BEGIN { print (t <= 107) }')
echo "C test NLL <= 107 nats: $(verdict "$ok")"

if ! /usr/bin/python3 -c 'import torch' 2>/dev/null; then
    echo "PyTorch peer skipped: /usr/bin/python3 cannot import torch (Debian package python3-torch)"
    exit 0
fi
set -- $(/usr/bin/python3 tests/bench/fvsbn_torch.py data/mnist "$epochs" $lr $batch $seed)
t_sec=$1 t_best=$2 t_test=$3
printf '%-10s %10s %11s %15s\n' "PyTorch" "$t_sec" "$t_best" "$t_test"
ratio=$(awk -v a="$t_sec" -v b="$c_sec" 'BEGIN { printf "%.1f", a / b }')
diff=$(awk -v a="$t_test" -v b="$c_test" 'BEGIN { d = a - b; if (d < 0) d = -d; printf "%.2f", d }')
echo "speed-up of C per epoch: ${ratio}x (target >= 5x: $(verdict "$(awk -v r="$ratio" 'BEGIN { print (r >= 5) }')"))"
echo "test NLL difference: $diff nats (target <= 1: $(verdict "$(awk -v d="$diff" 'BEGIN { print (d <= 1) }')"))"
