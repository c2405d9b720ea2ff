#!/usr/bin/python3
"""One SGD training step (forward + backward + update) of bench/train-step.ts's networks in SpikingJelly on torch.

Usage: /usr/bin/python3 bench/compare/sj_train_step.py SJ_CHECKOUT THREADS

A persistent worker so the TypeScript harness can interleave the two sides round by round: it reads one net
name per line on stdin and answers one JSON line {"net", "ms"} (the wall time of one step, after the net was
built and warmed up once on first use), or {"error"}. torch runs THREADS intra-op threads.

The networks mirror src/lib/models (same layers, widths, pooling, T and batch as NETS in train-step.ts):
multi-step SpikingJelly layers, LIFNode(tau 2, decay_input, v_reset 0, ATan(2), torch backend); the mul-free
seq-CIFAR net uses SlidingPSN(k 4) (SpikingJelly has no multiplication-free PSN; the sliding PSN is the
same k-tap temporal filter with real weights). Loss: cross-entropy of the time-mean output, SGD momentum 0.9.
Needs a SpikingJelly commit that runs on torch 1.13 (e.g. cf933c73).
"""
import json
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

NETS = {
    # name: (T, batch, input [C, H, W], classes)
    "vggmpe": (4, 8, (2, 48, 48), 10),
    "dvsgesture": (4, 2, (2, 128, 128), 11),
    "sew18cifar": (4, 8, (3, 32, 32), 10),
    "seqcifar": (32, 8, (3, 32, 1), 10),
}


def build(name, sj):
    from spikingjelly.activation_based import layer, neuron, surrogate

    def lif():
        return neuron.LIFNode(tau=2.0, decay_input=True, v_reset=0.0, surrogate_function=surrogate.ATan(), step_mode="m", backend="torch")

    def conv_bn(cin, cout, k=3, stride=1, bias=False, pad=None):
        p = k // 2 if pad is None else pad
        return [layer.Conv2d(cin, cout, k, stride, p, bias=bias, step_mode="m"), layer.BatchNorm2d(cout, step_mode="m")]

    if name == "vggmpe":
        mods, cin = [], 2
        for i, w in enumerate([64, 128, 256, 256, 512, 512, 512, 512]):
            mods += conv_bn(cin, w, bias=True) + [lif()]
            if i in (1, 3, 5, 7):
                mods.append(layer.AvgPool2d(2, step_mode="m"))
            cin = w
        mods += [layer.Flatten(step_mode="m"), layer.Dropout(0.25, step_mode="m"), layer.Linear(512 * 9, 10, step_mode="m")]
        return nn.Sequential(*mods)
    if name == "dvsgesture":
        mods, cin, C = [], 2, 128
        for _ in range(5):
            mods += conv_bn(cin, C) + [lif(), layer.MaxPool2d(2, step_mode="m")]
            cin = C
        mods += [layer.Flatten(step_mode="m"), layer.Dropout(0.5, step_mode="m"), layer.Linear(C * 16, 1024, step_mode="m"), lif(),
                 layer.Dropout(0.5, step_mode="m"), layer.Linear(1024, 110, step_mode="m"), layer.VotingLayer(10, step_mode="m")]
        return nn.Sequential(*mods)
    if name == "sew18cifar":
        class Block(nn.Module):
            def __init__(self, cin, cout, stride):
                super().__init__()
                self.main = nn.Sequential(*conv_bn(cin, cout, 3, stride), lif(), *conv_bn(cout, cout), lif())
                self.short = nn.Sequential(*conv_bn(cin, cout, 1, stride), lif()) if stride != 1 or cin != cout else None

            def forward(self, x):
                return self.main(x) + (x if self.short is None else self.short(x))  # SEW ADD

        mods, cin = conv_bn(3, 64) + [lif()], 64
        for li, w in enumerate([64, 128, 256, 512]):
            for b in range(2):
                mods.append(Block(cin, w, 2 if b == 0 and li > 0 else 1))
                cin = w
        mods += [layer.AdaptiveAvgPool2d(1, step_mode="m"), layer.Flatten(step_mode="m"), layer.Linear(512, 10, step_mode="m")]
        return nn.Sequential(*mods)
    if name == "seqcifar":
        mods, cin, C = [], 3, 128
        for stage in range(2):
            for _ in range(3):
                mods += [layer.Conv2d(cin, C, (3, 1), 1, (1, 0), bias=True, step_mode="m"), layer.BatchNorm2d(C, step_mode="m"),
                         psn_on_channels(neuron.SlidingPSN(k=4, step_mode="m"))]
                cin = C
            mods.append(layer.AvgPool2d((2, 1), step_mode="m"))
        mods += [layer.Flatten(step_mode="m"), layer.Linear(C * 8, 256, step_mode="m"), neuron.SlidingPSN(k=4, step_mode="m"),
                 layer.Linear(256, 10, step_mode="m")]
        return nn.Sequential(*mods)
    raise ValueError(f"sj_train_step.py: unknown net {name!r}; expected one of {', '.join(NETS)}")


def psn_on_channels(psn):
    """SlidingPSN works on [T, N]; fold the feature axes into N and back."""
    class Wrap(nn.Module):
        def __init__(self):
            super().__init__()
            self.psn = psn

        def forward(self, x):
            return self.psn(x.flatten(1)).view(x.shape)
    return Wrap()


class Session:
    def __init__(self, name, sj):
        from spikingjelly.activation_based import functional
        self.functional = functional
        T, B, shape, classes = NETS[name]
        torch.manual_seed(0)
        self.net = build(name, sj)
        self.net.train()
        self.opt = torch.optim.SGD(self.net.parameters(), lr=0.01, momentum=0.9)
        self.x = (torch.rand(T, B, *shape) < 0.2).float()
        self.y = torch.arange(B) % classes
        self.step()  # warm-up

    def step(self):
        t0 = time.perf_counter()
        self.functional.reset_net(self.net)
        out = self.net(self.x).mean(0)
        loss = F.cross_entropy(out, self.y)
        self.opt.zero_grad(set_to_none=True)
        loss.backward()
        self.opt.step()
        return (time.perf_counter() - t0) * 1000


def main(sj, threads):
    sys.path.insert(0, sj)
    torch.set_num_threads(threads)
    sessions = {}
    for line in sys.stdin:
        name = line.strip()
        if not name:
            continue
        try:
            if name not in sessions:
                sessions[name] = Session(name, sj)
            print(json.dumps({"net": name, "ms": sessions[name].step()}), flush=True)
        except Exception as e:  # reported to the harness, which fails loudly
            print(json.dumps({"net": name, "error": f"{type(e).__name__}: {e}"}), flush=True)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    main(sys.argv[1], int(sys.argv[2]))
