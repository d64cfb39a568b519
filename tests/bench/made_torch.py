#!/usr/bin/python3
"""The PyTorch peer of chapter 7's C MADE trainer, for `make bench`.

Idiomatic PyTorch MADE (CPU): two masked nn.Linear layers, the mask
multiplied into the weight at every step, ReLU hidden units, one mask in
the raster order with h degrees uniform in 1..d-1 (sorted, as in C; the
draw is PyTorch's own). Same data files, initialisation scheme (uniform
in +-1/sqrt(fan-in), output biases at the pixel log-odds), Adam step,
batch, epochs and early stopping as the C trainer.

usage: made_torch.py DATA_DIR EPOCHS LR BATCH SEED H
prints one line: seconds_per_epoch best_epoch test_nll
"""
import sys

import torch
import torch.nn.functional as F

from mnist_idx import fit, marginal_logits, setup


class MaskedLinear(torch.nn.Linear):
    def __init__(self, n_in, n_out, mask):
        super().__init__(n_in, n_out)
        self.register_buffer("mask", mask)
        bound = 1 / n_in ** 0.5
        with torch.no_grad():
            self.weight.uniform_(-bound, bound)
            self.bias.zero_()

    def forward(self, x):
        return F.linear(x, self.weight * self.mask, self.bias)


def main():
    split, epochs, lr, batch, h = setup(sys.argv)
    train = split["train"]
    d = train.shape[1]
    pos = torch.arange(1, d + 1)                       # raster order
    deg = torch.sort(torch.randint(1, d, (h,))).values  # 1..d-1, sorted
    m_in = (deg[:, None] >= pos[None, :]).float()      # h x d
    m_out = (pos[:, None] > deg[None, :]).float()      # d x h
    net = torch.nn.Sequential(MaskedLinear(d, h, m_in), torch.nn.ReLU(),
                              MaskedLinear(h, d, m_out))
    with torch.no_grad():
        net[2].bias.copy_(marginal_logits(train))
    opt = torch.optim.Adam(net.parameters(), lr=lr)

    def nll(x):
        return F.binary_cross_entropy_with_logits(
            net(x), x, reduction="none").sum(1)

    sec, best_epoch, test = fit(nll, list(net.parameters()), opt, split,
                                epochs, batch)
    print(f"{sec:.4f} {best_epoch} {test:.3f}")


if __name__ == "__main__":
    main()
