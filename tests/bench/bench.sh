#!/bin/sh
# make bench: the C trainer against its PyTorch peer, side by side.
#
#   tests/bench/bench.sh AUTOREG [FVSBN_EPOCHS] [NADE_EPOCHS]
#
# FVSBN: both train on data/mnist (8,000 images, stochastic
# binarization) with Adam, step 0.01, batch 100, the same epochs,
# early stopping on validation, on all the machine's cores. C trains
# twice: with chapter 3's code (--kernel plain) and with the cache-tiled
# step (--kernel tiled, src/training/fvsbn_tiled.c). Prints seconds per epoch
# (training only), the best epoch and the test NLL of each, and checks
# the targets on the tiled run: C at least 15x faster per epoch, test
# NLLs within 1 nat, C's test NLL at most 107 nats.
# NADE (h = 500, Adam step 0.003): chapter 5's code and the blocked step
# (--kernel tiled, src/training/nade_tiled.c); targets on the blocked
# one: 100x the peer, 40 % of the sgemm peak measured in the same run
# (twice, before and after the NADE runs; the higher counts).
# MADE (h = 500, one raster mask, the NADE settings), plain and with
# the minibatch kernel (--kernel tiled): target 3x for the tiled one;
# its test NLL against NADE's after those epochs is printed, and at the
# end both train 20 epochs (BENCH_FULL_EPOCHS) with a MADE of 4000 units
# for the quality target: within 3 nats of NADE.
# PixelCNN (C = 16, L = 8, the NADE settings), plain and with the
# register-blocked kernel (--kernel tiled): target 1x for the tiled one
# (C no slower), and its test NLL below NADE's.
# NADE sampling: the batched sampler (autoreg sample --kernel tiled)
# against a PyTorch loop with the samples at once, target 20x.
# Then a table of every C kernel (and chapter 4's MLP, one epoch, which
# has no peer): seconds per epoch, useful GFLOP/s,
# the share of the sgemm peak and of the multiply-add peak (autoreg
# experiment C, appendix C's figure) and the ratio to its PyTorch peer.
# Each PyTorch peer runs on one thread and on all cores, and each C
# trainer twice (the same bits); the faster run counts.
set -eu
autoreg=$1
epochs=${2:-15}
nade_epochs=${3:-3}
lr=0.01
batch=100
seed=1
out=build/bench
mkdir -p "$out"
threads=$(nproc)

# c_train DIR TRAIN-OPTIONS...: the C trainer into $out/DIR on mnist
# (batch, seed); sets c_sec (training seconds per epoch), c_best (the
# best validation epoch) and c_test (the test NLL of that epoch). With
# c_runs=2 (c_timed) it trains twice and the faster run's seconds count:
# the two runs give the same bits, only the machine's noise differs, as
# each peer runs twice (one thread and all cores) and its faster counts.
c_runs=1
c_train() {
    dir=$out/$1
    shift
    c_sec=
    for run in $(seq 1 $c_runs); do
        "$autoreg" train --data mnist --batch $batch --seed $seed --out "$dir" \
            --quiet "$@" > /dev/null
        sec=$(awk -F '\t' '!/^#/ { s += $2; n++ } END { printf "%.4f", s / n }' "$dir/time.tsv")
        if [ -z "$c_sec" ] || awk -v a="$sec" -v b="$c_sec" 'BEGIN { exit !(a < b) }'; then
            c_sec=$sec
        fi
    done
    c_best=$(awk -F '\t' '!/^#/ && (b == "" || $3 < b) { b = $3; e = $1 } END { print e }' "$dir/train.tsv")
    c_test=$("$autoreg" eval --checkpoint "$dir/model.ckpt" --data mnist |
             sed 's/.*NLL \([0-9.]*\) nats.*/\1/')
}
# c_run KERNEL: the FVSBN with that kernel, into $out/fvsbn-KERNEL
c_run() {
    c_timed "fvsbn-$1" --model fvsbn --epochs "$epochs" --lr $lr --kernel "$1"
}
# c_timed DIR TRAIN-OPTIONS...: c_train, the faster of two runs
c_timed() {
    c_runs=2
    c_train "$@"
    c_runs=1
}
c_run plain
p_sec=$c_sec p_best=$c_best p_test=$c_test
c_run tiled

echo "FVSBN on mnist: $epochs epochs, batch $batch, Adam lr $lr, seed $seed, $threads cores"
echo "(each C row: the faster of two runs, the same bits)"
printf '%-10s %10s %11s %15s\n' "trainer" "s/epoch" "best epoch" "test NLL (nats)"
printf '%-10s %10s %11s %15s   %s\n' "C plain" "$p_sec" "$p_best" "$p_test" "(chapter 3's fvsbn_forward/backward)"
printf '%-10s %10s %11s %15s   %s\n' "C tiled" "$c_sec" "$c_best" "$c_test" "(--kernel tiled, src/training/fvsbn_tiled.c)"
verdict() { if [ "$1" = 1 ]; then echo "met"; else echo "NOT MET"; fi; }
# plain_and_tiled DIR TRAIN-OPTIONS...: c_train with --kernel plain into
# DIR-plain (sets p_sec, p_best, p_test) and --kernel tiled into
# DIR-tiled (c_sec, c_best, c_test)
plain_and_tiled() {
    pdir=$1
    shift
    c_timed "$pdir-plain" "$@"
    p_sec=$c_sec p_best=$c_best p_test=$c_test
    c_timed "$pdir-tiled" "$@" --kernel tiled
}
# kernel_table TITLE PLAIN_CODE TILED_CODE: the two runs' rows
kernel_table() {
    echo
    echo "$1"
    printf '%-10s %10s %11s %15s\n' "trainer" "s/epoch" "best epoch" "test NLL (nats)"
    printf '%-10s %10s %11s %15s   %s\n' "C plain" "$p_sec" "$p_best" "$p_test" "($2)"
    printf '%-10s %10s %11s %15s   %s\n' "C tiled" "$c_sec" "$c_best" "$c_test" "(--kernel tiled, $3)"
}
# against_nade NAME OP LIMIT: the tiled run's test NLL minus NADE's
against_nade() {
    gap=$(awk -v a="$c_test" -v b="$n_test" 'BEGIN { printf "%.2f", a - b }')
    ok=$(awk -v a="$c_test" -v b="$n_test" -v l="$3" "BEGIN { print (a - b $2 l) }")
    echo "$1 test NLL minus NADE's (same epochs): $gap nats (target $2 $3: $(verdict "$ok"))"
}
# plain_ratio: the peer's time over the plain run's
plain_ratio() {
    echo "(the plain kernel: $(awk -v a="$t_sec" -v b="$p_sec" 'BEGIN { printf "%.1f", a / b }')x; the target is for the tiled one)"
}
ok=$(awk -v t="$c_test" 'BEGIN { print (t <= 107) }')
echo "C test NLL <= 107 nats: $(verdict "$ok")"

have_torch=1
/usr/bin/python3 -c 'import torch' 2>/dev/null || have_torch=0
[ $have_torch = 1 ] || echo "PyTorch peers skipped: /usr/bin/python3 cannot import torch (Debian package python3-torch)"
# compare NAME C_SEC C_TEST TARGET_RATIO TORCH_SCRIPT ARGS...: the peer's
# row, the speed-up and the NLL difference
# The peer runs twice, on one thread and on all $threads cores, and the
# faster counts: Debian's PyTorch (OpenMP) is often slower on two
# threads than on one for these small products.
compare() {
    name=$1 cs=$2 ct=$3 target=$4
    shift 4
    one=$(BENCH_TORCH_THREADS=1 /usr/bin/python3 "$@")
    tn=1
    if [ "$threads" -gt 1 ]; then
        all=$(BENCH_TORCH_THREADS=$threads /usr/bin/python3 "$@")
        if awk -v a="${all%% *}" -v b="${one%% *}" 'BEGIN { exit !(a < b) }'; then
            one=$all tn=$threads
        fi
    fi
    set -- $one
    t_sec=$1
    how="$tn thread(s), the faster of 1 and $threads${4:+; $4 formulation, the faster of two}"
    printf '%-10s %10s %11s %15s   %s\n' "PyTorch" "$1" "$2" "$3" "($how)"
    # the verdicts on the exact values, not on the rounded ones printed
    ratio=$(awk -v a="$1" -v b="$cs" 'BEGIN { printf "%.2f", a / b }')
    r_ok=$(awk -v a="$1" -v b="$cs" -v t="$target" 'BEGIN { print (a / b >= t) }')
    diff=$(awk -v a="$3" -v b="$ct" 'BEGIN { d = a - b; if (d < 0) d = -d; printf "%.2f", d }')
    d_ok=$(awk -v a="$3" -v b="$ct" 'BEGIN { d = a - b; if (d < 0) d = -d; print (d <= 1) }')
    echo "$name speed-up of C per epoch: ${ratio}x (target >= ${target}x: $(verdict "$r_ok"))"
    echo "$name test NLL difference: $diff nats (target <= 1: $(verdict "$d_ok"))"
}
t_sec=0
if [ $have_torch = 1 ]; then
    compare FVSBN "$c_sec" "$c_test" 15 \
        tests/bench/fvsbn_torch.py data/mnist "$epochs" $lr $batch $seed
    plain_ratio
fi
fv_plain=$p_sec fv_tiled=$c_sec fv_peer=$t_sec

# --- NADE -------------------------------------------------------------------
# Chapter 5's code (--kernel plain) and the blocked step (--kernel
# tiled, src/training/nade_tiled.c), h = 500, Adam 0.003. Targets on the
# blocked one: at least 100x the PyTorch peer per epoch, at least 40 %
# of the sgemm peak, test NLLs within 1 nat.
h=500
nlr=0.003
density=$("$autoreg" data info mnist | awk '$1 == "train" { print $4 }')
peak=$(/usr/bin/python3 tests/bench/sgemm_peak.py 2>/dev/null || echo "?")
# the machine's multiply-add peak as appendix C measures it (registers
# only, all threads): the bound no kernel can pass, where sgemm is one
# library's matrix product (on this machine a kernel can beat it)
"$autoreg" experiment C --out "$out/chC" > /dev/null
fma_peak=$(awk -F '\t' '$1 == "peak_all" { print $2 }' "$out/chC/values.tsv")
# flops NAME SEC: useful GFLOP/s of a C run at SEC s/epoch (8,000
# images), from the model's useful FLOPs per image (sigmoids and the
# Bernoulli layer not counted, one per add, two per multiply-add):
#   fvsbn     n_on (d - 1): the columns of the pixels on, forward (W x)
#             and backward (dW), half of d each on average
#   mlp       n_on d h + 4 d h: each conditional's columns of the
#             pixels on before it (half of them on average), added
#             forward and their gradient backward, and w_i . h_i with
#             its two gradients
#   nade      6 d h + 6 n_on h: V . h and its two gradients g h and
#             g V (three products of d h multiply-adds), and per pixel
#             on a column of W added forward, backward delta =
#             u h (1 - h) (three), s += delta and dW += s
#   made      3 d h + n_on h: half of V kept (one raster mask), three
#             products of it, and the first layer's columns forward and
#             backward, half of h each
#   pixelcnn  6 d (24 C p + 5 C^2 L): the type-A layer on the pixels on
#             (p the density), the L type-B layers, backward twice
#             forward
# n_on = p d pixels on (p from the training density).
flops() {
    awk -v m="$1" -v s="$2" -v d=784 -v h=$h -v p="$density" \
        -v C="${pc:-16}" -v L="${pl:-8}" -v mh="${mlp_h:-8}" 'BEGIN {
        on = p * d
        if (m == "fvsbn") f = on * (d - 1)
        else if (m == "mlp") f = on * d * mh + 4 * d * mh
        else if (m == "nade") f = 6 * d * h + 6 * on * h
        else if (m == "made") f = 3 * d * h + on * h
        else f = 6 * d * (24 * C * p + 5 * C * C * L)
        printf "%.1f", 8000 * f / s / 1e9 }'
}
# of_peak GFLOPS: the share of the sgemm peak, in per cent
of_peak() {
    awk -v g="$1" -v k="$peak" 'BEGIN {
        if (k + 0 > 0) printf "%.0f", 100 * g / k; else printf "?" }'
}
# kernels: the lines of the closing table (one per C run)
kernels=$out/kernels.txt
: > "$kernels"
# kernel_row NAME MODEL SEC PEER_SEC: a line of the closing table
kernel_row() {
    g=$(flops "$2" "$3")
    ratio=$(awk -v a="$4" -v b="$3" 'BEGIN {
        if (a + 0 > 0) printf "%.1fx", a / b; else printf "-" }')
    fma=$(awk -v g="$g" -v k="$fma_peak" 'BEGIN {
        if (k + 0 > 0) printf "%.0f", 100 * g / k; else printf "?" }')
    printf '%-16s %10s %10s %9s %9s %10s\n' "$1" "$3" "$g" "$(of_peak "$g")%" \
        "$fma%" "$ratio" >> "$kernels"
}
# The MLP of chapter 4 (h = 8 for each conditional, its code only: it
# has neither a kernel nor a PyTorch peer here), for the closing table.
mlp_h=8
c_timed mlp --model mlp --hidden $mlp_h --epochs 1 --lr $lr
mlp_sec=$c_sec
plain_and_tiled nade --model nade --hidden $h --epochs "$nade_epochs" --lr $nlr
kernel_table "NADE (h = $h) on mnist: $nade_epochs epochs, batch $batch, Adam lr $nlr, seed $seed" \
    "chapter 5's nade_forward/backward" src/training/nade_tiled.c
n_sec=$c_sec n_best=$c_best n_test=$c_test np_sec=$p_sec
# the sgemm peak measured again after the NADE runs, the higher of the
# two kept: one measurement in a slow spell of the machine would flatter
# every share of it
peak2=$(/usr/bin/python3 tests/bench/sgemm_peak.py 2>/dev/null || echo "?")
peak=$(awk -v a="$peak" -v b="$peak2" 'BEGIN {
    if (b + 0 > a + 0) print b; else print a }')
gflops=$(flops nade "$c_sec")
echo "C blocked training rate: $gflops GFLOP/s, $(of_peak "$gflops") % of the single-precision peak by"
echo "OpenBLAS sgemm (2048^3, numpy): $peak GFLOP/s (target >= 40 %: $(verdict "$(awk -v g="$gflops" -v k="$peak" 'BEGIN { print (k + 0 > 0 && g / k >= 0.4) }')"))"
t_sec=0
if [ $have_torch = 1 ]; then
    compare NADE "$c_sec" "$c_test" 100 \
        tests/bench/nade_torch.py data/mnist "$nade_epochs" $nlr $batch $seed $h
    plain_ratio
fi
# Sampling: 100 samples of the trained NADE, the model's sampler (your
# nade_sample in a lab) and the batched one (--kernel tiled) against a
# PyTorch loop over the pixels with the 100 samples at once, the same
# parameters (read from the checkpoint); the best of three runs each.
# Target: the batched sampler at least 20x the peer.
best_rate() { # KERNEL: the best samples/s of three autoreg sample runs
    for r in 1 2 3; do
        "$autoreg" sample --checkpoint "$out/nade-tiled/model.ckpt" \
            --out "$out/samples.pgm" --n 100 --kernel "$1" |
            sed 's/.*(\([0-9]*\) samples per second.*/\1/'
    done | sort -n | tail -n 1
}
s_plain=$(best_rate plain)
s_tiled=$(best_rate tiled)
echo
echo "NADE sampling, 100 samples of the model above (samples per second):"
printf '%-10s %12s   %s\n' "C plain" "$s_plain" "(the model's sampler: chapter 5's nade_sample)"
printf '%-10s %12s   %s\n' "C tiled" "$s_tiled" "(--kernel tiled: the samples advance together)"
if [ $have_torch = 1 ]; then
    one=$(BENCH_TORCH_THREADS=1 /usr/bin/python3 tests/bench/nade_sample_torch.py \
        "$out/nade-tiled/model.ckpt" 784 $h 100)
    all=$(BENCH_TORCH_THREADS=$threads /usr/bin/python3 tests/bench/nade_sample_torch.py \
        "$out/nade-tiled/model.ckpt" 784 $h 100)
    tn=1
    if [ "$all" -gt "$one" ]; then one=$all tn=$threads; fi
    printf '%-10s %12s   %s\n' "PyTorch" "$one" "($tn thread(s), the faster of 1 and $threads)"
    ok=$(awk -v a="$s_tiled" -v b="$one" 'BEGIN { print (a >= 20 * b) }')
    echo "NADE sampling speed-up of C: $(awk -v a="$s_tiled" -v b="$one" 'BEGIN { printf "%.1f", a / b }')x (target >= 20x: $(verdict "$ok"))"
fi

kernel_row "FVSBN plain" fvsbn "$fv_plain" "$fv_peer"
kernel_row "FVSBN tiled" fvsbn "$fv_tiled" "$fv_peer"
kernel_row "MLP plain" mlp "$mlp_sec" 0
kernel_row "NADE plain" nade "$np_sec" "$t_sec"
kernel_row "NADE blocked" nade "$n_sec" "$t_sec"

# --- MADE (chapter 7) ----------------------------------------------------------
# One mask in the raster order, h = 500, ReLU, Adam 0.003, the NADE epochs,
# trained twice: with chapter 7's code (--kernel plain) and with the
# minibatch kernel (--kernel tiled, src/training/made_tiled.c). Targets on
# the tiled run: at least 3x faster per epoch than a masked nn.Linear, test
# NLLs within 1 nat; and MADE's test NLL against NADE's (within 3 nats).
plain_and_tiled made --model made --hidden $h --epochs "$nade_epochs" --lr $nlr
kernel_table "MADE (h = $h, one raster mask) on mnist: $nade_epochs epochs, batch $batch, Adam lr $nlr, seed $seed" \
    "chapter 7's made_forward/backward" src/training/made_tiled.c
gap=$(awk -v a="$c_test" -v b="$n_test" 'BEGIN { printf "%.2f", a - b }')
echo "MADE test NLL minus NADE's after $nade_epochs epochs: $gap nats (the target is for trained models: see the end)"
t_sec=0
if [ $have_torch = 1 ]; then
    compare MADE "$c_sec" "$c_test" 3 \
        tests/bench/made_torch.py data/mnist "$nade_epochs" $nlr $batch $seed $h
    plain_ratio
fi
kernel_row "MADE plain" made "$p_sec" "$t_sec"
kernel_row "MADE tiled" made "$c_sec" "$t_sec"

# --- PixelCNN (chapter 8) --------------------------------------------------------
# C = 16 channels, L = 8 residual layers (chapter 8's run), Adam 0.003,
# the NADE epochs, trained twice: with chapter 8's code (--kernel plain)
# and with the register-blocked kernel (--kernel tiled,
# src/training/pixelcnn_tiled.c). Targets on the tiled run: no slower
# per epoch than nn.Conv2d layers with a registered mask, test NLLs
# within 1 nat; and the PixelCNN's test NLL below NADE's.
pc=16 pl=8
plain_and_tiled pixelcnn --model pixelcnn --channels $pc --layers $pl \
    --epochs "$nade_epochs" --lr $nlr
kernel_table "PixelCNN (C = $pc, L = $pl) on mnist: $nade_epochs epochs, batch $batch, Adam lr $nlr, seed $seed" \
    "chapter 8's pixelcnn_forward/backward" src/training/pixelcnn_tiled.c
against_nade PixelCNN "<" 0
t_sec=0
if [ $have_torch = 1 ]; then
    compare PixelCNN "$c_sec" "$c_test" 1 \
        tests/bench/pixelcnn_torch.py data/mnist "$nade_epochs" $nlr $batch $seed $pc $pl
    plain_ratio
fi
kernel_row "PixelCNN plain" pixelcnn "$p_sec" "$t_sec"
kernel_row "PixelCNN tiled" pixelcnn "$c_sec" "$t_sec"
echo
echo "Every C kernel on mnist (8,000 images; useful FLOPs as in flops() above;"
echo "the sgemm peak $peak GFLOP/s and the multiply-add peak of appendix C,"
echo "$fma_peak GFLOP/s, measured in this run; x: the PyTorch peer's s/epoch"
echo "over the kernel's, same epochs and settings; s/epoch: the faster of two"
echo "runs of each, the C trainer's twice, the peer's on 1 and $threads threads):"
printf '%-16s %10s %10s %9s %9s %10s\n' "kernel" "s/epoch" "GFLOP/s" "of sgemm" "of FMA" "x PyTorch"
cat "$kernels"

# --- MADE against NADE, both trained to their best epoch -------------------
# Issue 16's quality target: MADE with one hidden layer and one mask
# within 3 nats of chapter 5's NADE (h = 500, Adam 0.003, 20 epochs) on
# the same split. After the NADE epochs above MADE is far behind; here
# both train 20 epochs and keep their best validation epoch. The MADE is
# the best by validation NLL of h = 2000 and 4000 units with Adam 0.001
# and 0.002 (one random order, the minibatch kernel): h = 4000, 0.001.
full=${BENCH_FULL_EPOCHS:-20}
c_train nade-full --model nade --hidden $h --epochs "$full" --lr $nlr
n_sec=$c_sec n_best=$c_best n_test=$c_test
c_train made-wide --model made --hidden 4000 --order random --epochs "$full" \
    --lr 0.001 --kernel tiled
echo
echo "MADE against chapter 5's NADE on mnist: $full epochs each, the best validation epoch kept"
printf '%-10s %10s %11s %15s\n' "model" "s/epoch" "best epoch" "test NLL (nats)"
printf '%-10s %10s %11s %15s   %s\n' "NADE" "$n_sec" "$n_best" "$n_test" "(h = $h, Adam $nlr: chapter 5's run)"
printf '%-10s %10s %11s %15s   %s\n' "MADE" "$c_sec" "$c_best" "$c_test" "(h = 4000, one random mask, Adam 0.001, --kernel tiled)"
gap=$(awk -v a="$c_test" -v b="$n_test" 'BEGIN { printf "%.2f", a - b }')
ok=$(awk -v a="$c_test" -v b="$n_test" 'BEGIN { print (a - b <= 3) }')
echo "MADE (one hidden layer, one mask) test NLL minus NADE's: $gap nats (target <= 3: $(verdict "$ok"))"
exit 0
