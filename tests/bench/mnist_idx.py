"""The prepared data/mnist files and the shared start, for the PyTorch
peers of make bench."""
import struct

import numpy as np
import torch


def read_idx(path):
    """An IDX image file (magic 0x00000803) as an N x (rows * cols) array."""
    with open(path, "rb") as f:
        magic, n, rows, cols = struct.unpack(">IIII", f.read(16))
        assert magic == 0x00000803, path
        return np.frombuffer(f.read(), dtype=np.uint8).reshape(n, rows * cols)


def load_splits(data_dir):
    """The binarized train, valid and test splits as float tensors."""
    return {s: torch.from_numpy(
        read_idx(f"{data_dir}/{s}-binarized-idx3-ubyte").astype(np.float32))
        for s in ("train", "valid", "test")}


def marginal_logits(train):
    """Output biases of the independent-pixel model, as the C code starts:
    the log-odds of each pixel's training mean, clamped to [1e-3, 1-1e-3]."""
    mean = train.mean(0).clamp(1e-3, 1 - 1e-3)
    return torch.log(mean / (1 - mean))
