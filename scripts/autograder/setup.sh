#!/bin/bash
# Gradescope runs this once, when it builds the autograder's image
# (Ubuntu, as root): the toolchain from apt-get, then the pristine tree
# built with the sanitizers (`make autograder-setup`), so that grading a
# submission compiles only the student's files. Nothing else comes from
# the network, at setup or at grading time: the tests make their own data.
# AUTOGRADER_ROOT stands for /autograder (the tests use a scratch copy).
set -eu
root=${AUTOGRADER_ROOT:-/autograder}
cd "$root/source/autoreg-lab"
scripts/install-deps build grade
make --no-print-directory -s -j"$(nproc)" autograder-setup
