#!/usr/bin/python3
"""Plants anomalies into R's EuStockMarkets (data/series/eustockmarkets.csv) at recorded positions.

Seeded and deterministic: `/usr/bin/python3 data/series/plant.py` rewrites
eustockmarkets-planted-seed{1,2,3}.csv and eustockmarkets-planted-events.csv next to this script.

The first half of the series (rows 0..929) is left untouched (the normal data a model trains on);
seven events are planted in the second half (rows 930..1859), at least 25 rows apart, in the
log-price of one index each (sd = that index's standard deviation of daily log returns over the
first half):

  spike  one row, log-price moved by +-(6..10) sd
  level  5..20 rows, log-price moved by +-(5..8) sd, then back
  flat   30..50 rows, the index stuck at its value on the first row
  phase  30..50 rows, the index replaced by its own path lagged by 5..15 rows (spliced so that it
         starts at the same level): plausible on its own, out of step with the other three

Three spikes, two level shifts, one flat stretch and one phase change per seed, channels and
positions drawn from numpy's default_rng(seed). Output columns: time, DAX, SMI, CAC, FTSE (prices
rounded to 2 decimals as in R), label (1 = a planted row), event (0 or the event's number).
"""
import csv
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
CHANNELS = ["DAX", "SMI", "CAC", "FTSE"]
TRAIN = 930
GAP = 25
KINDS = ["spike", "spike", "spike", "level", "level", "flat", "phase"]


def load():
    with open(os.path.join(HERE, "eustockmarkets.csv"), newline="") as f:
        rows = list(csv.reader(f))
    head, body = rows[0], rows[1:]
    assert head == ["time"] + CHANNELS, head
    time = [r[0] for r in body]
    prices = np.array([[float(v) for v in r[1:]] for r in body])
    return time, prices


def plant(seed, prices):
    rng = np.random.default_rng(seed)
    lp = np.log(prices)
    sd = np.diff(lp[:TRAIN], axis=0).std(axis=0)
    n = len(lp)
    label = np.zeros(n, dtype=int)
    event = np.zeros(n, dtype=int)
    events = []
    kinds = list(KINDS)
    rng.shuffle(kinds)
    for k, kind in enumerate(kinds, start=1):
        length = {"spike": 1, "level": int(rng.integers(5, 21)), "flat": int(rng.integers(30, 51)),
                  "phase": int(rng.integers(30, 51))}[kind]
        for _ in range(10000):
            start = int(rng.integers(TRAIN + 20, n - length - 5))
            lo, hi = max(0, start - GAP), min(n, start + length + GAP)
            if not label[lo:hi].any():
                break
        else:
            raise RuntimeError("no room for event %d" % k)
        c = int(rng.integers(0, len(CHANNELS)))
        seg = slice(start, start + length)
        if kind in ("spike", "level"):
            lo_k, hi_k = (6, 10) if kind == "spike" else (5, 8)
            mag = float(rng.uniform(lo_k, hi_k)) * (1 if rng.random() < 0.5 else -1)
            lp[seg, c] += mag * sd[c]
        elif kind == "flat":
            mag = 0.0
            lp[seg, c] = lp[start, c]
        else:
            lag = int(rng.integers(5, 16))
            mag = float(lag)
            src = lp[start - lag:start - lag + length, c].copy()
            lp[seg, c] = src - src[0] + lp[start, c]
        label[seg] = 1
        event[seg] = k
        events.append((seed, k, kind, CHANNELS[c], start, length, round(mag, 4)))
    return np.round(np.exp(lp), 2), label, event, events


def main():
    time, prices = load()
    all_events = []
    for seed in (1, 2, 3):
        planted, label, event, events = plant(seed, prices)
        all_events += events
        with open(os.path.join(HERE, "eustockmarkets-planted-seed%d.csv" % seed), "w", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(["time"] + CHANNELS + ["label", "event"])
            for t in range(len(time)):
                w.writerow([time[t]] + ["%.2f" % v for v in planted[t]] + [label[t], event[t]])
    with open(os.path.join(HERE, "eustockmarkets-planted-events.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["seed", "event", "kind", "channel", "start", "length", "magnitude"])
        w.writerows(all_events)


if __name__ == "__main__":
    main()
