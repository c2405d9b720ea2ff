#!/usr/bin/python3
"""Time SpikingJelly's multi-step LIFNode (torch backend) and PSN, forward + backward, on this CPU.

Usage: /usr/bin/python3 bench/compare/sj_neurons.py SJ_CHECKOUT "T,N T,N ..."

Imports `spikingjelly.activation_based.neuron` from SJ_CHECKOUT (a commit with the PSN family and
torch-1.13 support, e.g. cf933c73; see bench/compare/README.md). Protocol, same as the TypeScript side:
x ~ N(0.5, 1) of shape [T, N] float32, loss = sum(S * G) with a fixed random G, 3 warm-up runs, median
of 10 timed runs of forward + backward; torch uses 2 threads. LIFNode: tau 2, decay_input, v_reset 0
(hard), no detach, ATan(2). PSN: T×T weights, ATan(2). Prints JSON rows.
"""
import json
import statistics
import sys
import time

import torch


def timed(fn, repeats=10, warmup=3):
    for _ in range(warmup):
        fn()
    ts = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        ts.append(time.perf_counter() - t0)
    return statistics.median(ts) * 1000


def main(sj, cells):
    sys.path.insert(0, sj)
    from spikingjelly.activation_based import neuron, surrogate, functional
    torch.set_num_threads(2)
    torch.manual_seed(0)
    rows = []
    for cell in cells.split():
        T, N = map(int, cell.split(","))
        x0 = torch.randn(T, N) + 0.5
        g = torch.randn(T, N)
        lif = neuron.LIFNode(tau=2.0, decay_input=True, v_reset=0.0, detach_reset=False, surrogate_function=surrogate.ATan(), step_mode="m", backend="torch")
        psn = neuron.PSN(T=T, surrogate_function=surrogate.ATan())

        def run(mod):
            def f():
                x = x0.clone().requires_grad_(True)
                functional.reset_net(mod)
                (mod(x) * g).sum().backward()
                mod.zero_grad(set_to_none=True)
            return f

        rows.append({"T": T, "N": N, "lifMs": timed(run(lif)), "psnMs": timed(run(psn))})
    print(json.dumps(rows))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    main(sys.argv[1], sys.argv[2])
