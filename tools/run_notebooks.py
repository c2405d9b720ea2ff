#!/usr/bin/python3
"""Execute tslab notebooks headless and fail on any error (toolchain §5).

Usage: /usr/bin/python3 tools/run_notebooks.py OUTDIR NOTEBOOK...

Expects Debian's Jupyter for /usr/bin/python3 (jupyter-nbconvert jupyter-client python3-ipython
python3-nbclient) and a `tslab` kernelspec on JUPYTER_PATH (tools/notebooks.sh installs one into
./.jupyter with --binary pointing at this checkout's tslab).

Every notebook runs (a failure does not stop the others) with the kernel's cwd set to the notebook's
folder, a 900 s per-cell timeout and 120 s start-up timeout. A notebook fails on a cell error, a
timeout, a dead kernel, or async-error text that tslab only prints (UncaughtException,
UnhandledPromiseRejection, ERR_REQUIRE_ASYNC_MODULE). The failing cell is named by index and first
source line, with tslab's stderr (where it sends the real message). Executed copies go to OUTDIR.
The last line is "N passed, M failed".
"""
import pathlib
import re
import concurrent.futures
import os
import sys

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

BAD = re.compile(r"UncaughtException:|UnhandledPromiseRejection:|ERR_REQUIRE_ASYNC_MODULE")


def first_line(cell):
    src = cell.get("source", "")
    return (src.splitlines() or [""])[0][:100]


def cell_errors(nb):
    """(index, reason, detail) for every code cell that reported an error or async-error text."""
    found = []
    for i, cell in enumerate(nb.cells):
        if cell.get("cell_type") != "code":
            continue
        stderr = "".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("output_type") == "stream" and o.get("name") == "stderr")
        for o in cell.get("outputs", []):
            if o.get("output_type") == "error":
                detail = (stderr or (o.get("ename", "") + ": " + o.get("evalue", ""))).strip()
                found.append((i, "error", detail))
            elif o.get("output_type") == "stream" and BAD.search(o.get("text", "")):
                found.append((i, "async-error " + BAD.search(o["text"]).group(0), o["text"].strip()))
    return found


def run(path, outdir):
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, kernel_name="tslab", timeout=900, startup_timeout=120, record_timing=True,
                            resources={"metadata": {"path": str(path.parent)}})
    status = None
    try:
        client.execute()
    except CellTimeoutError:
        status = "cell timeout (900 s)"
    except DeadKernelError:
        status = "kernel died"
    except CellExecutionError:
        status = "cell error"
    nbformat.write(nb, str(outdir / path.name))
    errors = cell_errors(nb)
    if status is None and errors:
        status = errors[0][1]
    if status is not None and not errors:
        # tslab reports some failures (e.g. a ReferenceError) only as stderr text of the failing cell.
        for i, c in enumerate(nb.cells):
            for o in c.get("outputs", []):
                if o.get("output_type") == "stream" and o.get("name") == "stderr" and "Error" in o.get("text", ""):
                    errors.append((i, "stderr", o["text"].strip()))
    return status, errors, nb


def run_one(args):
    path, outdir = args
    status, errors, _nb = run(path, outdir)
    cells = {i: first_line(_nb.cells[i]) for i, _, _ in errors}
    return str(path), status, errors, cells


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    outdir = pathlib.Path(argv[1])
    outdir.mkdir(parents=True, exist_ok=True)
    passed = failed = 0
    paths = []
    for p in map(pathlib.Path, argv[2:]):
        if not p.is_file():
            print(f"{p}: FAILED: no such notebook", flush=True)
            failed += 1
        else:
            paths.append(p)
    # Notebooks run in parallel processes (SPIKELAB_NOTEBOOK_JOBS, default 2: one per core here); each
    # has its own kernel. Items share only atomically created synthetic data and caches.
    jobs = max(1, int(os.environ.get("SPIKELAB_NOTEBOOK_JOBS", "2")))
    with concurrent.futures.ProcessPoolExecutor(max_workers=jobs) as pool:
        for path, status, errors, cells in pool.map(run_one, [(p, outdir) for p in paths]):
            if status is None:
                print(f"{path}: ok", flush=True)
                passed += 1
                continue
            failed += 1
            print(f"{path}: FAILED: {status}", flush=True)
            for i, reason, detail in errors:
                print(f"  cell {i} ({reason}): {cells[i]}", flush=True)
                for line in detail.splitlines()[:15]:
                    print(f"    {line}", flush=True)
    print(f"{passed} passed, {failed} failed", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
