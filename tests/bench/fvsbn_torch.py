#!/usr/bin/python3
"""The PyTorch peer of chapter 3's C FVSBN trainer, for `make bench`.

An idiomatic PyTorch FVSBN: one dense d x d weight matrix multiplied by a
strictly lower-triangular mask, logits = b + x (W * M)^T, the Bernoulli
NLL through binary_cross_entropy_with_logits. Same data files, the same
initialisation (W = 0, b = logit of the training marginals), Adam with
the same step size, batch and epochs, early stopping on validation.

usage: fvsbn_torch.py DATA_DIR EPOCHS LR BATCH SEED
prints one line: seconds_per_epoch best_epoch test_nll
"""
import sys
import time

import torch
import torch.nn.functional as F

from mnist_idx import load_splits, marginal_logits


def main():
    data_dir, epochs, lr, batch, seed = sys.argv[1:6]
    epochs, lr, batch, seed = int(epochs), float(lr), int(batch), int(seed)
    torch.manual_seed(seed)
    torch.set_num_threads(torch.get_num_threads())
    split = load_splits(data_dir)
    train = split["train"]
    n, d = train.shape
    b = torch.nn.Parameter(marginal_logits(train))
    W = torch.nn.Parameter(torch.zeros(d, d))
    mask = torch.tril(torch.ones(d, d), diagonal=-1)
    opt = torch.optim.Adam([b, W], lr=lr)

    def nll(x):  # per-image -log p(x)
        logits = b + x @ (W * mask).t()
        return F.binary_cross_entropy_with_logits(
            logits, x, reduction="none").sum(1)

    best, best_epoch, best_state, seconds = float("inf"), 0, None, 0.0
    for epoch in range(1, epochs + 1):
        t0 = time.perf_counter()
        perm = torch.randperm(n)
        for i in range(0, n - batch + 1, batch):
            loss = nll(train[perm[i:i + batch]]).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
        seconds += time.perf_counter() - t0
        with torch.no_grad():
            v = nll(split["valid"]).mean().item()
        if v < best:
            best, best_epoch = v, epoch
            best_state = (b.detach().clone(), W.detach().clone())
    with torch.no_grad():
        b.copy_(best_state[0])
        W.copy_(best_state[1])
        test = nll(split["test"]).mean().item()
    print(f"{seconds / epochs:.4f} {best_epoch} {test:.3f}")


if __name__ == "__main__":
    main()
