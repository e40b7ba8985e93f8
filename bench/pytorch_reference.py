#!/usr/bin/env python3
"""PyTorch reference for `ae4j bench`: the same autoencoders, the same measurements, the same table.

Run with Debian's PyTorch: apt-get install python3-torch libopenblas0-pthread, then
/usr/bin/python3 bench/pytorch_reference.py [--arch conv]. Without an optimised BLAS installed, Debian's
PyTorch falls back to the reference BLAS (libblas3) and runs 3-14x slower: check with
update-alternatives --display libblas.so.3-x86_64-linux-gnu.
Nets (as in ae4j bench):
  dense: 784-256-64-16-64-256-784, ReLU hidden layers, linear bottleneck, MSE, Adam(1e-3), batch 128
  conv : 28x28x1, conv3x3(16)+ReLU+maxpool2, conv3x3(8)+ReLU+maxpool2 (7x7x8 code),
         upsample2+conv3x3(8)+ReLU, upsample2+conv3x3(16)+ReLU, conv3x3(1) sigmoid, BCE, Adam(1e-3), batch 128
Measurements: training rows/s over the second of two epochs of --rows rows after a warm-up (the first epoch's
rate is reported too), scoring rows/s at batch 1024 (per-row
reconstruction error), single-row scoring latency p50/p99, peak RSS. Data: structured synthetic rows.
"""
import argparse
import json
import os
import resource
import time

import numpy as np
import torch
import torch.nn as nn


def synthetic(rows, shape, seed=1):
    """Structured synthetic data in [0, 1]: smooth low-rank patterns (like ae4j bench's)."""
    rng = np.random.default_rng(seed)
    n = int(np.prod(shape))
    basis = rng.standard_normal((8, n)).astype(np.float32)
    codes = rng.standard_normal((rows, 8)).astype(np.float32)
    x = 1.0 / (1.0 + np.exp(-(codes @ basis) / 3.0))
    return x.reshape((rows,) + tuple(shape)).astype(np.float32)


def dense_net(inp, hidden, latent):
    enc, dec, w = [], [], inp
    for h in hidden:
        enc += [nn.Linear(w, h), nn.ReLU()]
        w = h
    enc += [nn.Linear(w, latent)]
    w = latent
    for h in reversed(hidden):
        dec += [nn.Linear(w, h), nn.ReLU()]
        w = h
    dec += [nn.Linear(w, inp)]
    return nn.Sequential(*enc, *dec), nn.MSELoss(reduction="none")


def conv_net(c):
    net = nn.Sequential(
        nn.Conv2d(c, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Upsample(scale_factor=2), nn.Conv2d(8, 8, 3, padding=1), nn.ReLU(),
        nn.Upsample(scale_factor=2), nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(),
        nn.Conv2d(16, c, 3, padding=1),
    )
    return net, nn.BCEWithLogitsLoss(reduction="none")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--arch", choices=["dense", "conv"], default="dense")
    ap.add_argument("--input", type=int, default=784)
    ap.add_argument("--image", default="28x28x1")
    ap.add_argument("--hidden", default="256,64")
    ap.add_argument("--latent", type=int, default=16)
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--rows", type=int, default=None, help="training rows to time (default 60000 dense, 6000 conv)")
    ap.add_argument("--threads", type=int, default=None, help="torch threads (default: all logical cores, as ND4J uses)")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    torch.set_num_threads(a.threads or os.cpu_count())
    torch.manual_seed(42)
    if a.arch == "dense":
        shape = (a.input,)
        net, loss_fn = dense_net(a.input, [int(h) for h in a.hidden.split(",") if h], a.latent)
        rows = a.rows or 60000
    else:
        h, w, c = (int(v) for v in a.image.lower().split("x"))
        shape = (c, h, w)
        net, loss_fn = conv_net(c)
        rows = a.rows or 6000
    data = torch.from_numpy(synthetic(max(rows, 4096), shape))
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)

    def train(n):
        net.train()
        done = 0
        while done < n:
            for i in range(0, data.shape[0], a.batch):
                xb = data[i:i + a.batch]
                opt.zero_grad()
                loss = loss_fn(net(xb), xb).mean()
                loss.backward()
                opt.step()
                done += xb.shape[0]
                if done >= n:
                    return

    train(min(rows, 2048))  # warm-up
    # two epochs over the rows, as ae4j bench runs them: the second is the reported rate, the first is reported too
    t0 = time.perf_counter()
    train(rows)
    first_rps = rows / (time.perf_counter() - t0)
    t0 = time.perf_counter()
    train(rows)
    train_rps = rows / (time.perf_counter() - t0)

    net.eval()
    with torch.no_grad():
        def score(xb):
            e = loss_fn(net(xb), xb)
            return e.reshape(e.shape[0], -1).mean(dim=1)
        score(data[:1024])
        n_score = data.shape[0]
        t0 = time.perf_counter()
        reps = 0
        while time.perf_counter() - t0 < 3.0 or reps == 0:
            for i in range(0, n_score, 1024):
                score(data[i:i + 1024])
            reps += 1
        score_rps = reps * n_score / (time.perf_counter() - t0)
        lat = []
        for i in range(10000):
            s = time.perf_counter()
            score(data[i % n_score:i % n_score + 1])
            lat.append((time.perf_counter() - s) * 1000)
    lat.sort()
    res = {
        "framework": "pytorch " + torch.__version__,
        "arch": a.arch,
        "threads": torch.get_num_threads(),
        "train_rows_per_s": round(train_rps, 1),
        "train_first_epoch_rows_per_s": round(first_rps, 1),
        "score_rows_per_s": round(score_rps, 1),
        "latency_p50_ms": round(lat[len(lat) // 2], 4),
        "latency_p99_ms": round(lat[int(len(lat) * 0.99)], 4),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    if a.json:
        print(json.dumps(res))
    else:
        print(f"{'framework':<22}{'arch':<7}{'train rows/s':>14}{'score rows/s':>14}{'p50 ms':>9}{'p99 ms':>9}{'peak RSS MB':>13}")
        print(f"{res['framework']:<22}{a.arch:<7}{res['train_rows_per_s']:>14,.0f}{res['score_rows_per_s']:>14,.0f}"
              f"{res['latency_p50_ms']:>9.3f}{res['latency_p99_ms']:>9.3f}{res['peak_rss_mb']:>13,.0f}")


if __name__ == "__main__":
    main()
