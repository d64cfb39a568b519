#!/usr/bin/python3
"""The PyTorch peer of chapter 5's C NADE trainer, for `make bench`.

Idiomatic PyTorch NADE (CPU), two usual formulations of the forward pass:

  loop    a loop over the d positions carrying a B x h running activation
          (a += x[:, i] * W[:, i]), the O(dh) recurrence of the chapter;
  cumsum  all activations at once as c + an exclusive cumulative sum over
          positions of x_j W[:, j] (a B x d x h tensor).

Both are timed on a few minibatches and the faster one trains. Same data
files, initialisation scheme, Adam step, batch, epochs and early stopping
as the C trainer.

usage: nade_torch.py DATA_DIR EPOCHS LR BATCH SEED H
prints one line: seconds_per_epoch best_epoch test_nll formulation
"""
import sys
import time

import torch
import torch.nn.functional as F

from mnist_idx import fit, marginal_logits, setup


def main():
    split, epochs, lr, batch, h = setup(sys.argv)
    train = split["train"]
    d = train.shape[1]
    W = torch.nn.Parameter(0.01 * (2 * torch.rand(h, d) - 1))
    V = torch.nn.Parameter(0.01 * (2 * torch.rand(d, h) - 1))
    c = torch.nn.Parameter(torch.zeros(h))
    b = torch.nn.Parameter(marginal_logits(train))
    opt = torch.optim.Adam([W, V, c, b], lr=lr)

    def nll_loop(x):
        a = c.expand(x.shape[0], h)
        logits = []
        for i in range(d):
            hi = torch.sigmoid(a)
            logits.append(hi @ V[i] + b[i])
            a = a + x[:, i:i + 1] * W[:, i]
        logits = torch.stack(logits, 1)
        return F.binary_cross_entropy_with_logits(
            logits, x, reduction="none").sum(1)

    def nll_cumsum(x):
        contrib = x.unsqueeze(2) * W.t().unsqueeze(0)      # B x d x h
        a = c + torch.cumsum(contrib, 1) - contrib           # exclusive
        logits = (torch.sigmoid(a) * V.unsqueeze(0)).sum(2) + b
        return F.binary_cross_entropy_with_logits(
            logits, x, reduction="none").sum(1)

    def step(nll, xb):
        loss = nll(xb).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()

    # pick the faster formulation on a few minibatches (then start over)
    state = [p.detach().clone() for p in (W, V, c, b)]
    timing = {}
    for name, fn in (("loop", nll_loop), ("cumsum", nll_cumsum)):
        t0 = time.perf_counter()
        for i in range(3):
            step(fn, train[i * batch:(i + 1) * batch])
        timing[name] = time.perf_counter() - t0
    name = min(timing, key=timing.get)
    nll = nll_loop if name == "loop" else nll_cumsum
    with torch.no_grad():
        for p, s in zip((W, V, c, b), state):
            p.copy_(s)
    opt = torch.optim.Adam([W, V, c, b], lr=lr)

    sec, best_epoch, test = fit(nll, [W, V, c, b], opt, split, epochs,
                                batch)
    print(f"{sec:.4f} {best_epoch} {test:.3f} {name}")


if __name__ == "__main__":
    main()
