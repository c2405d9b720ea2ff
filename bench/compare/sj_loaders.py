#!/usr/bin/python3
"""Time SpikingJelly's own event-file loaders on given files (our harness; SpikingJelly is not vendored).

Usage: /usr/bin/python3 bench/compare/sj_loaders.py SJ_CHECKOUT AEDAT3_FILE AEDAT2_FILE ATIS_FILE

SJ_CHECKOUT is a local SpikingJelly source tree (see bench/compare/README.md). Importing the
`spikingjelly.datasets` package needs torch/torchvision; to time the loaders with numpy alone, this
script reads the loader functions' source from `spikingjelly/datasets/utils.py` and `cifar10_dvs.py`
with `ast` and executes those definitions unchanged in a namespace holding numpy, struct and the
module-level mask constants they use. Prints one JSON object: seconds (median of runs) and events.
"""
import ast
import json
import os
import statistics
import struct
import sys
import time
import typing
from pathlib import Path

import numpy as np


def load_defs(path, names, namespace):
    tree = ast.parse(Path(path).read_text(encoding="utf8"))
    keep = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name in names:
            keep.append(node)
        elif isinstance(node, ast.Assign) and all(isinstance(t, ast.Name) and t.id.endswith(("_mask", "_shift")) for t in node.targets):
            keep.append(node)
    missing = set(names) - {n.name for n in keep if isinstance(n, ast.FunctionDef)}
    if missing:
        raise SystemExit(f"{path}: functions not found: {sorted(missing)}")
    exec(compile(ast.Module(body=keep, type_ignores=[]), str(path), "exec"), namespace)


class _Logger:
    def error(self, *a, **k):
        pass


def main(sj, f3, f2, fbin):
    ns = {"np": np, "struct": struct, "os": os, "Path": Path, "Union": typing.Union, "logger": _Logger(), "EVT_DVS": 0}
    base = Path(sj) / "spikingjelly" / "datasets"
    load_defs(base / "utils.py", ["load_aedat_v3", "load_ATIS_bin"], ns)
    load_defs(base / "cifar10_dvs.py", ["_read_bits", "_skip_header", "_load_raw_events", "_parse_raw_address", "_load_events", "_load_origin_data"], ns)
    out = {}
    for key, fn, path in [("aedat3", ns["load_aedat_v3"], f3), ("aedat2", ns["_load_origin_data"], f2), ("atis", ns["load_ATIS_bin"], fbin)]:
        times, n = [], 0
        for r in range(3):
            t0 = time.perf_counter()
            d = fn(path)
            times.append(time.perf_counter() - t0)
            n = int(len(d["t"]))
            if times[-1] > 20:  # the pure-Python AEDAT 3.1 loop: one run is enough to know its speed
                break
        out[key] = {"seconds": statistics.median(times), "runs": len(times), "events": n, "bytes": os.path.getsize(path)}
    print(json.dumps(out))


if __name__ == "__main__":
    if len(sys.argv) != 5:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    main(*sys.argv[1:])
