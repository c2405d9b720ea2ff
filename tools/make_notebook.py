#!/usr/bin/python3
"""Write a tslab notebook (nbformat 4.5, cell ids, no outputs) from a plain-text cell list.

Usage: /usr/bin/python3 tools/make_notebook.py SOURCE.cells.txt OUT.ipynb

The source holds cells separated by lines "%% md" or "%% ts"; keeping notebooks generated from text
keeps them reviewable and free of committed outputs.
"""
import hashlib
import sys
import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook


def main(src, out):
    cells, kind, buf = [], None, []

    def flush():
        if kind is None:
            return
        text = "\n".join(buf).strip("\n")
        cells.append(new_markdown_cell(text) if kind == "md" else new_code_cell(text))

    for line in open(src, encoding="utf8").read().splitlines():
        if line.strip() in ("%% md", "%% ts"):
            flush()
            kind, buf = line.strip()[3:], []
        else:
            buf.append(line)
    flush()
    nb = new_notebook(cells=cells, metadata={
        "kernelspec": {"name": "tslab", "display_name": "TypeScript", "language": "typescript"},
        "language_info": {"name": "typescript", "file_extension": ".ts", "mimetype": "text/typescript"},
    })
    # Deterministic cell ids (hash of the source text and position), so regenerating leaves unchanged
    # notebooks byte-identical.
    for i, c in enumerate(nb.cells):
        c["id"] = hashlib.sha1(f"{i}:{c.source}".encode("utf8")).hexdigest()[:12]
    nbformat.validate(nb)
    nbformat.write(nb, out)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
