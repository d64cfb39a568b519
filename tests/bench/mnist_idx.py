"""The prepared data/mnist files and the shared start, for the PyTorch
peers of make bench."""
import os
import struct
import time

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


def fit(nll, params, opt, split, epochs, batch):
    """Train as the C trainer does: each epoch the shuffled training set
    in minibatches of `batch` (the remainder dropped), one optimizer step
    on the mean NLL of each; after each epoch the validation NLL, and the
    parameters of the best epoch kept and restored at the end. nll(x)
    gives -log p of each row of x; params are the tensors opt updates.
    Returns (seconds per epoch, best epoch, test NLL)."""
    train = split["train"]
    n = len(train)

    def evaluate(x):
        with torch.no_grad():
            return torch.cat([nll(x[i:i + 500])
                              for i in range(0, len(x), 500)]).mean().item()

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
        v = evaluate(split["valid"])
        if v < best:
            best, best_epoch = v, epoch
            best_state = [p.detach().clone() for p in params]
    with torch.no_grad():
        for p, s in zip(params, best_state):
            p.copy_(s)
    return seconds / epochs, best_epoch, evaluate(split["test"])


def setup(argv):
    """A peer's command line, DATA_DIR EPOCHS LR BATCH SEED [H]: seeds
    PyTorch, sets its thread count (BENCH_TORCH_THREADS, default every
    core this process may run on, as the C trainer takes; Debian's build
    starts with one) and loads the splits. Returns (split, epochs, lr, batch, h), h None when not
    given."""
    data_dir, epochs, lr, batch, seed = argv[1:6]
    torch.manual_seed(int(seed))
    torch.set_num_threads(int(os.environ.get(
        "BENCH_TORCH_THREADS", len(os.sched_getaffinity(0)))))
    h = int(argv[6]) if len(argv) > 6 else None
    return load_splits(data_dir), int(epochs), float(lr), int(batch), h
