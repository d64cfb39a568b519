#!/usr/bin/python3
"""The PyTorch peer of chapter 8's C PixelCNN trainer, for `make bench`.

Idiomatic PyTorch PixelCNN (CPU): nn.Conv2d layers with a registered
mask multiplied into the weight at every step; a 7 x 7 type-A layer
(1 -> C channels, the centre excluded), L 3 x 3 type-B layers (C -> C,
the centre kept) with ReLU and residual connections, and a 1 x 1 head to
one logit per pixel, as src/api/pixelcnn.h. Same data files,
initialisation (weights uniform in +-1/sqrt(fan-in) over the kept taps,
the residual layers' fan-in counted 4 times, biases 0, the head's bias at
the log-odds of the mean pixel), Adam step, batch, epochs and early
stopping as the C trainer.

usage: pixelcnn_torch.py DATA_DIR EPOCHS LR BATCH SEED C L
prints one line: seconds_per_epoch best_epoch test_nll
"""
import math
import sys

import torch
import torch.nn.functional as F

from mnist_idx import fit, setup


def mask(k, type_b):
    """k x k: 1 on the rows above the centre and left of it in its row;
    on the centre too for type B."""
    m = torch.zeros(k, k)
    r = k // 2
    m[:r, :] = 1
    m[r, :r] = 1
    if type_b:
        m[r, r] = 1
    return m


class MaskedConv2d(torch.nn.Conv2d):
    def __init__(self, n_in, n_out, k, type_b, fan_scale=1):
        super().__init__(n_in, n_out, k, padding=k // 2)
        self.register_buffer("mask", mask(k, type_b)[None, None])
        kept = int(self.mask.sum().item())
        bound = 1 / math.sqrt(fan_scale * n_in * kept)
        with torch.no_grad():
            self.weight.uniform_(-bound, bound)
            self.bias.zero_()

    def forward(self, x):
        return F.conv2d(x, self.weight * self.mask, self.bias,
                        padding=self.padding)


class PixelCNN(torch.nn.Module):
    def __init__(self, C, L, mean):
        super().__init__()
        self.first = MaskedConv2d(1, C, 7, False)
        self.layers = torch.nn.ModuleList(
            [MaskedConv2d(C, C, 3, True, fan_scale=4) for _ in range(L)])
        self.head = torch.nn.Conv2d(C, 1, 1)
        with torch.no_grad():
            bound = 1 / math.sqrt(C)
            self.head.weight.uniform_(-bound, bound)
            self.head.bias.fill_(math.log(mean / (1 - mean)))

    def forward(self, x):
        h = F.relu(self.first(x))
        for layer in self.layers:
            h = h + F.relu(layer(h))
        return self.head(h)


def main():
    split, epochs, lr, batch, C = setup(sys.argv[:7])
    L = int(sys.argv[7])
    train = split["train"]
    d = train.shape[1]
    S = math.isqrt(d)
    mean = min(max(train.mean().item(), 1e-3), 1 - 1e-3)
    net = PixelCNN(C, L, mean)
    opt = torch.optim.Adam(net.parameters(), lr=lr)

    def nll(x):
        img = x.view(-1, 1, S, S)
        return F.binary_cross_entropy_with_logits(
            net(img), img, reduction="none").sum((1, 2, 3))

    sec, best_epoch, test = fit(nll, list(net.parameters()), opt, split,
                                epochs, batch)
    print(f"{sec:.4f} {best_epoch} {test:.3f}")


if __name__ == "__main__":
    main()
