#!/usr/bin/python3
"""The PyTorch peer of `autoreg sample --kernel tiled` for NADE, for
`make bench`.

Idiomatic PyTorch ancestral sampling (CPU, no gradients): N samples at
once, a loop over the d pixels carrying the N x h running activation,
h = sigmoid(a), p = sigmoid(b_i + h V_i), x_i ~ Bernoulli(p),
a += x_i W[:, i]. The parameters are read from the C checkpoint (the
36-byte header, then nade.h's flat float32 layout: W by columns, c, V by
rows, b), so both sample the same model.

usage: nade_sample_torch.py CHECKPOINT D H N
prints one line: samples_per_second
"""
import os
import sys
import time

import numpy as np
import torch


def main():
    path, d, h, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), \
        int(sys.argv[4])
    torch.set_num_threads(int(os.environ.get("BENCH_TORCH_THREADS", "1")))
    k = 2 * d * h + h + d
    flat = np.fromfile(path, dtype="<f4", count=k, offset=36)
    W = torch.from_numpy(flat[:d * h].reshape(d, h).copy())  # row j: W[:, j]
    c = torch.from_numpy(flat[d * h:d * h + h].copy())
    V = torch.from_numpy(flat[d * h + h:2 * d * h + h].reshape(d, h).copy())
    b = torch.from_numpy(flat[2 * d * h + h:].copy())
    torch.manual_seed(1)
    with torch.no_grad():
        best = float("inf")
        for _ in range(3):
            t0 = time.perf_counter()
            a = c.expand(n, h).clone()
            x = torch.empty(n, d)
            for i in range(d):
                p = torch.sigmoid(b[i] + torch.sigmoid(a) @ V[i])
                x[:, i] = torch.bernoulli(p)
                a += x[:, i:i + 1] * W[i]
            best = min(best, time.perf_counter() - t0)
    print(f"{n / best:.0f}")


if __name__ == "__main__":
    main()
