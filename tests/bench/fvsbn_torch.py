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

import torch
import torch.nn.functional as F

from mnist_idx import fit, marginal_logits, setup


def main():
    split, epochs, lr, batch, _ = setup(sys.argv)
    train = split["train"]
    d = train.shape[1]
    b = torch.nn.Parameter(marginal_logits(train))
    W = torch.nn.Parameter(torch.zeros(d, d))
    mask = torch.tril(torch.ones(d, d), diagonal=-1)
    opt = torch.optim.Adam([b, W], lr=lr)

    def nll(x):  # per-image -log p(x)
        logits = b + x @ (W * mask).t()
        return F.binary_cross_entropy_with_logits(
            logits, x, reduction="none").sum(1)

    sec, best_epoch, test = fit(nll, [b, W], opt, split, epochs, batch)
    print(f"{sec:.4f} {best_epoch} {test:.3f}")


if __name__ == "__main__":
    main()
