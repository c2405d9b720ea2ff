#!/usr/bin/env bash
# Execute every notebook headless on the tslab kernel and fail (naming notebook and cell) on any error.
# Needs Debian's Jupyter for /usr/bin/python3:
#   apt-get install -y jupyter-nbconvert jupyter-client python3-ipython python3-nbclient
# The tslab kernelspec is installed into ./.jupyter (never touches ~), pointing at this checkout's tslab.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=/usr/bin/python3
if ! "$PY" -c "import nbclient, nbformat" 2>/dev/null; then
  echo "notebooks: $PY lacks nbclient/nbformat. Install Debian's Jupyter first:" >&2
  echo "  sudo apt-get install -y jupyter-nbconvert jupyter-client python3-ipython python3-nbclient" >&2
  exit 1
fi
[ -f dist/index.js ] || { echo "notebooks: dist/ is missing; run 'npm run build' first (notebooks import ../dist/index.js)" >&2; exit 1; }
if [ ! -f .jupyter/share/jupyter/kernels/tslab/kernel.json ]; then
  npx tslab install --python="$PY" --prefix="$PWD/.jupyter" --binary="$PWD/node_modules/.bin/tslab" >/dev/null
fi
export JUPYTER_PATH="$PWD/.jupyter/share/jupyter"
export SPIKELAB_NOTEBOOK_CI=1
exec "$PY" tools/run_notebooks.py build/notebooks notebooks/*.ipynb
