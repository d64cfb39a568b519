#!/bin/sh
# No lost work: a training run stopped by SIGINT or SIGTERM and continued
# with --resume ends with the same bytes as a run never stopped; the same
# command twice gives the same bytes; a foreign or damaged state file is
# refused with one line naming it.
#   tests/resume.sh AUTOREG
set -u
autoreg=${1:-build/solutions/autoreg}
SUITE=resume
. "$(dirname "$0")/lib/testlib.sh"
use_tmpdir
export AUTOREG_THREADS=2 # the bits depend on the thread count
unset AUTOREG_STOP_AFTER_BATCHES AUTOREG_STOP_SIGNAL

mkdir -p "$tmp/data" "$tmp/other"
amat "$tmp/data" train 200 1
amat "$tmp/data" valid 50 2
amat "$tmp/data" test 50 3
cp "$tmp/data"/*.amat "$tmp/other/"
amat "$tmp/other" train 200 4

# 10 minibatches an epoch; the best validation NLL comes before the end
train() { # DIR [more options]
    dir=$1
    shift
    "$autoreg" train --model fvsbn --data "amat:$tmp/data" --epochs 8 \
        --batch 20 --lr 0.05 --seed 3 --quiet --out "$dir" "$@"
}
same() { # WHAT FILE1 FILE2
    if cmp -s "$2" "$3"; then ok "$1"; else bad "$1" "$2 and $3 differ"; fi
}
no_temporaries() { # WHAT DIR
    if ls "$2" | grep -q '\.tmp\.'; then bad "$1" "$(ls "$2")"
    else ok "$1"; fi
}
# one_line WHAT STATUS WANT PATTERN: exit status WANT and one line on
# stderr ($tmp/err) that matches PATTERN
one_line() {
    if [ "$2" -eq "$3" ] && [ "$(wc -l < "$tmp/err")" -eq 1 ] &&
       grep -q -- "$4" "$tmp/err"; then
        ok "$1"
    else
        bad "$1" "exit $2, want $3: $(cat "$tmp/err")"
    fi
}
# stopped WHAT STATUS LOG EPOCHS DIR: exit status, one line with the
# command to continue, train.tsv holds exactly the completed epochs
stopped() {
    lines=$(wc -l < "$3")
    if [ "$2" -eq "$6" ] && [ "$lines" -eq 1 ] &&
       grep -q "after $4 of 8 epochs; state saved in $5/train.state; to continue: .* --resume\$" "$3" &&
       [ "$(grep -c -v '^#' "$5/train.tsv")" -eq "$4" ]; then
        ok "$1"
    else
        bad "$1" "exit $2, want $6; $(cat "$3"); $(cat "$5/train.tsv")"
    fi
}

train "$tmp/a" > /dev/null 2>&1 || bad "uninterrupted run" "exit $?"
train "$tmp/a2" > /dev/null 2>&1 || bad "second run" "exit $?"
same "same command twice: same checkpoint" "$tmp/a/model.ckpt" "$tmp/a2/model.ckpt"
same "same command twice: same train.tsv" "$tmp/a/train.tsv" "$tmp/a2/train.tsv"
for r in a a2; do
    "$autoreg" sample --checkpoint "$tmp/$r/model.ckpt" --n 20 --seed 5 \
        --out "$tmp/$r/s.pgm" > /dev/null
done
same "same command twice: same samples" "$tmp/a/s.pgm" "$tmp/a2/s.pgm"

# SIGINT in epoch 3 (after 25 minibatches), SIGTERM in epoch 5 of the
# resumed run, then resume to the end.
AUTOREG_STOP_AFTER_BATCHES=25 train "$tmp/b" > /dev/null 2> "$tmp/err"
stopped "SIGINT mid-epoch: exit 130, how to continue" $? "$tmp/err" 2 "$tmp/b" 130
no_temporaries "SIGINT: no temporary file left" "$tmp/b"
AUTOREG_STOP_AFTER_BATCHES=22 AUTOREG_STOP_SIGNAL=TERM \
    train "$tmp/b" --resume > /dev/null 2> "$tmp/err"
stopped "SIGTERM in a resumed run: exit 143" $? "$tmp/err" 4 "$tmp/b" 143
no_temporaries "SIGTERM: no temporary file left" "$tmp/b"
train "$tmp/b" --resume > /dev/null 2>&1 || bad "resume to the end" "exit $?"
same "resumed twice: same checkpoint as never stopped" "$tmp/a/model.ckpt" "$tmp/b/model.ckpt"
same "resumed twice: same train.tsv as never stopped" "$tmp/a/train.tsv" "$tmp/b/train.tsv"
"$autoreg" sample --checkpoint "$tmp/b/model.ckpt" --n 20 --seed 5 \
    --out "$tmp/b/s.pgm" > /dev/null
same "resumed: same samples" "$tmp/a/s.pgm" "$tmp/b/s.pgm"

# stopped exactly at an epoch boundary (before the 11th minibatch)
AUTOREG_STOP_AFTER_BATCHES=10 train "$tmp/c" > /dev/null 2> "$tmp/err"
stopped "SIGINT at an epoch boundary" $? "$tmp/err" 1 "$tmp/c" 130
train "$tmp/c" --resume > /dev/null 2>&1 || bad "resume from epoch 1" "exit $?"
same "resumed from epoch 1: same checkpoint" "$tmp/a/model.ckpt" "$tmp/c/model.ckpt"
train "$tmp/c" --resume --epochs 3 > /dev/null 2> "$tmp/err"
rc=$?
if [ $rc -eq 0 ] && grep -q "already has 8 epochs, more than --epochs 3: nothing to train" "$tmp/err"; then
    ok "--resume with fewer --epochs than done: says there is nothing to train"
else
    bad "--resume with fewer --epochs than done: says there is nothing to train" "exit $rc: $(cat "$tmp/err")"
fi
same "nothing to train: checkpoint unchanged" "$tmp/a/model.ckpt" "$tmp/c/model.ckpt"

# A real SIGINT from outside, at whatever point the run has reached.
"$autoreg" train --model fvsbn --data "amat:$tmp/data" --epochs 100000 \
    --batch 20 --lr 0.05 --quiet --out "$tmp/k" > /dev/null 2> "$tmp/err" &
pid=$!
( sleep 60; kill -9 $pid 2> /dev/null ) &
watchdog=$!
i=0
epochs_in() { if [ -f "$1" ]; then grep -v '^#' "$1" | wc -l; else echo 0; fi; }
while [ "$(epochs_in "$tmp/k/train.tsv")" -lt 2 ] &&
      [ $i -lt 400 ]; do
    sleep 0.1
    i=$((i + 1))
done
kill -INT $pid
wait $pid
rc=$?
kill $watchdog 2> /dev/null
one_line "kill -INT: exit 130, one line with the command to continue" $rc 130 \
    "state saved in $tmp/k/train.state; to continue: .* --resume\$"
no_temporaries "kill -INT: no temporary file left" "$tmp/k"
done_before=$(epochs_in "$tmp/k/train.tsv")
AUTOREG_STOP_AFTER_BATCHES=15 "$autoreg" train --model fvsbn \
    --data "amat:$tmp/data" --epochs 100000 --batch 20 --lr 0.05 --quiet \
    --out "$tmp/k" --resume > /dev/null 2>&1
rc=$?
done_after=$(epochs_in "$tmp/k/train.tsv")
if [ $rc -eq 130 ] && [ "$done_after" -eq $((done_before + 1)) ]; then
    ok "kill -INT: the state resumes (one more epoch)"
else
    bad "kill -INT: the state resumes (one more epoch)" "exit $rc, epochs $done_before then $done_after"
fi

# a diverging run stops with one line and exit 2, leaving no temporary
"$autoreg" train --model fvsbn --data "amat:$tmp/data" --epochs 3 --batch 20 \
    --lr 1e38 --quiet --out "$tmp/dv" > /dev/null 2> "$tmp/err"
one_line "--lr 1e38: diverges with one line, exit 2" $? 2 \
    "training diverged in epoch 1: the NLL is not finite; lower --lr"
no_temporaries "diverged: no temporary file left" "$tmp/dv"

# refused: each one line naming the state file, exit 2
refused() { # WHAT FRAGMENT OPTIONS...
    what=$1 frag=$2
    shift 2
    train "$tmp/d" --resume "$@" > /dev/null 2> "$tmp/err"
    one_line "$what" $? 2 "$tmp/d/train.state: $frag"
}
AUTOREG_STOP_AFTER_BATCHES=15 train "$tmp/d" > /dev/null 2>&1
cp "$tmp/d/train.state" "$tmp/good.state"
refused "another model" "the state of a fvsbn" --model nade --hidden 4
refused "another batch size" "written with --batch 20" --batch 10
refused "another seed" "written with .* --seed 3, this run has .* --seed 4" --seed 4
refused "another data set" "written for data set" --data "amat:$tmp/other"
refused "another kernel" "written by a run with --kernel plain, this one has --kernel tiled" --kernel tiled
AUTOREG_THREADS=1
refused "another thread count" "written by a run with 2 threads.*AUTOREG_THREADS=2"
AUTOREG_THREADS=2
printf '\001' | dd of="$tmp/d/train.state" bs=1 seek=3000 conv=notrunc 2> /dev/null
refused "a corrupted state" "CRC32 mismatch"
head -c 5000 "$tmp/good.state" > "$tmp/d/train.state"
refused "a truncated state" "CRC32 mismatch"
printf 'junk' > "$tmp/d/train.state"
refused "not a state" "truncated"
cp "$tmp/a/model.ckpt" "$tmp/d/train.state"
refused "a checkpoint instead of a state" "not a training state"
cp "$tmp/good.state" "$tmp/d/train.state"
train "$tmp/d" --resume > /dev/null 2>&1 || bad "the intact state still resumes" "exit $?"
same "refusals changed nothing" "$tmp/a/model.ckpt" "$tmp/d/model.ckpt"

# MADE (chapter 7): a resume that would draw other masks is refused (the
# state records their CRC), naming the state
made() { # OPTIONS...
    "$autoreg" train --model made --hidden 6 --data "amat:$tmp/data" \
        --batch 20 --lr 0.01 --seed 3 --quiet --out "$tmp/m" "$@"
}
made --epochs 1 --masks 2 --order random > /dev/null 2>&1
made --epochs 2 --masks 3 --order random --resume > /dev/null 2> "$tmp/err"
one_line "made: other masks refused" $? 2 \
    "$tmp/m/train.state: written with other masks"
made --epochs 2 --masks 2 --order raster --resume > /dev/null 2> "$tmp/err"
one_line "made: another order refused" $? 2 "$tmp/m/train.state: written with other masks"
if made --epochs 2 --masks 2 --order random --resume > /dev/null 2>&1; then
    ok "made: the same masks resume"
else
    bad "made: the same masks resume" "exit $?"
fi

# MADE with two hidden layers: stopped and resumed, bit-identical to a run
# that was not stopped; the checkpoint keeps the second layer (version 4)
made2() { # OUT OPTIONS...
    out=$1
    shift
    "$autoreg" train --model made --hidden 6,5 --data "amat:$tmp/data" \
        --batch 20 --lr 0.01 --seed 3 --quiet --epochs 3 --masks 2 \
        --order random --out "$out" "$@"
}
made2 "$tmp/m2a" > /dev/null 2>&1 || bad "made, two layers: trains" "exit $?"
AUTOREG_STOP_AFTER_BATCHES=7 made2 "$tmp/m2b" > /dev/null 2>&1
made2 "$tmp/m2b" --resume > /dev/null 2>&1 ||
    bad "made, two layers: resumes" "exit $?"
same "made, two layers: resumed run is bit-identical" "$tmp/m2a/model.ckpt" \
    "$tmp/m2b/model.ckpt"
"$autoreg" train --model made --hidden 6,4 --data "amat:$tmp/data" \
    --batch 20 --lr 0.01 --seed 3 --quiet --epochs 3 --masks 2 \
    --order random --out "$tmp/m2b" --resume > /dev/null 2> "$tmp/err"
one_line "made, two layers: other sizes refused" $? 2 "$tmp/m2b/train.state: "

# MADE's minibatch kernel: stopped and resumed, bit-identical too
made_t() { # OUT OPTIONS...
    out=$1
    shift
    "$autoreg" train --model made --hidden 40 --data "amat:$tmp/data" \
        --batch 20 --lr 0.01 --seed 3 --quiet --epochs 3 --kernel tiled \
        --out "$out" "$@"
}
made_t "$tmp/mta" > /dev/null 2>&1 || bad "made, tiled kernel: trains" "exit $?"
AUTOREG_STOP_AFTER_BATCHES=7 made_t "$tmp/mtb" > /dev/null 2>&1
AUTOREG_THREADS=1 made_t "$tmp/mtb" --resume > /dev/null 2>&1 ||
    bad "made, tiled kernel: resumes on another thread count" "exit $?"
same "made, tiled kernel: resumed on 1 thread, bit-identical" \
    "$tmp/mta/model.ckpt" "$tmp/mtb/model.ckpt"

# The PixelCNN's kernel: its bits depend on the thread count, so a
# state records both; resumed as it started, bit-identical, and never
# continued by the plain step
pcnn_t() { # OUT OPTIONS...
    out=$1
    shift
    "$autoreg" train --model pixelcnn --channels 4 --layers 1 \
        --data "amat:$tmp/data" --batch 20 --lr 0.01 --seed 3 --quiet \
        --epochs 2 --out "$out" "$@"
}
pcnn_t "$tmp/pta" --kernel tiled > /dev/null 2>&1 ||
    bad "pixelcnn, tiled kernel: trains" "exit $?"
AUTOREG_STOP_AFTER_BATCHES=7 pcnn_t "$tmp/ptb" --kernel tiled > /dev/null 2>&1
pcnn_t "$tmp/ptb" --kernel tiled --resume > /dev/null 2>&1 ||
    bad "pixelcnn, tiled kernel: resumes" "exit $?"
same "pixelcnn, tiled kernel: resumed run is bit-identical" \
    "$tmp/pta/model.ckpt" "$tmp/ptb/model.ckpt"
AUTOREG_STOP_AFTER_BATCHES=7 pcnn_t "$tmp/ptc" --kernel tiled > /dev/null 2>&1
pcnn_t "$tmp/ptc" --resume > /dev/null 2> "$tmp/err"
one_line "pixelcnn, tiled kernel: the plain step refuses its state" $? 2 \
    "written by a run with --kernel tiled, this one has --kernel plain"

# NADE's blocked kernel: its bits depend on the thread count, as the
# plain step's do; resumed as it started, bit-identical, and never
# continued by the plain step
nade_t() { # OUT OPTIONS...
    out=$1
    shift
    "$autoreg" train --model nade --hidden 20 --data "amat:$tmp/data" \
        --batch 20 --lr 0.01 --seed 3 --quiet --epochs 3 --out "$out" "$@"
}
nade_t "$tmp/nta" --kernel tiled > /dev/null 2>&1 ||
    bad "nade, tiled kernel: trains" "exit $?"
AUTOREG_STOP_AFTER_BATCHES=7 nade_t "$tmp/ntb" --kernel tiled > /dev/null 2>&1
nade_t "$tmp/ntb" --kernel tiled --resume > /dev/null 2>&1 ||
    bad "nade, tiled kernel: resumes" "exit $?"
same "nade, tiled kernel: resumed run is bit-identical" \
    "$tmp/nta/model.ckpt" "$tmp/ntb/model.ckpt"
AUTOREG_STOP_AFTER_BATCHES=7 nade_t "$tmp/ntc" --kernel tiled > /dev/null 2>&1
nade_t "$tmp/ntc" --resume > /dev/null 2> "$tmp/err"
one_line "nade, tiled kernel: the plain step refuses its state" $? 2 \
    "written by a run with --kernel tiled, this one has --kernel plain"

finish
