#!/usr/bin/python3
"""Single-precision peak of this machine as OpenBLAS reaches it: the best
of several 2048 x 2048 sgemm runs through numpy (Debian's numpy calls the
BLAS that update-alternatives selects: OpenBLAS from libopenblas0-pthread).
Prints GFLOP/s."""
import time

import numpy as np

n = 2048
a = np.random.default_rng(1).random((n, n), dtype=np.float32)
b = a.copy()
a @ b  # warm up the threads
best = min(
    (lambda t0: (a @ b, time.perf_counter() - t0)[1])(time.perf_counter())
    for _ in range(5))
print(f"{2 * n**3 / best / 1e9:.1f}")
