"""make html: the course as static HTML that reads offline (file://, no network): every notebook
executed and exported to build/html/, plotly.js and MathJax shipped once beside the pages, an index
page with the course map. Client-side scrubbers still scrub; kernel-driven widgets say they need a kernel.

    python scripts/export_html.py [--out DIR] [NOTEBOOK ...]   (default: every notebook, build/html)
"""

from __future__ import annotations

import argparse
import html
import os
import re
import shutil
import sys
from pathlib import Path

import jupyter_server_mathjax
import nbformat
import plotly
import plotly.io as pio
from nbclient import NotebookClient
from nbconvert import HTMLExporter

ROOT = Path(__file__).resolve().parents[1]
PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
MATHJAX = Path(jupyter_server_mathjax.__file__).parent / "static"
MATHJAX_URL = "mathjax/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full,Safe"
PLOTLY_JSON, WIDGET_VIEW = "application/vnd.plotly.v1+json", "application/vnd.jupyter.widget-view+json"
NEEDS_KERNEL = ("<div class='unrolled-needs-kernel' style='padding:8px;border:1px dashed #999;color:#555'>"
                "This is a <b>live widget</b>: it computes in the Python kernel, so it needs a running notebook. "
                "Open <code>{name}</code> in JupyterLab (<code>make lab</code>) to use it.</div>")
LINK_CSS = ".jp-RenderedMarkdown a, .jp-RenderedHTMLCommon a { text-decoration: underline !important; }"


def offline_outputs(nb: nbformat.NotebookNode, name: str) -> nbformat.NotebookNode:
    """Plotly figures as HTML that uses the shared plotly.min.js; live widgets as a 'needs a kernel' note."""
    for cell in nb.cells:
        if cell.get("outputs"):    # plotly's "connected" loader (a CDN URL) is replaced by the shared file
            cell.outputs = [o for o in cell.outputs if "cdn.plot.ly" not in o.get("data", {}).get("text/html", "")
                            or PLOTLY_JSON in o.get("data", {})]
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if PLOTLY_JSON in data:
                data["text/html"] = pio.to_html(data[PLOTLY_JSON], include_plotlyjs=False, full_html=False,
                                                validate=False, auto_play=False)
            if WIDGET_VIEW in data:    # a finished tqdm bar keeps its text; a live widget says what it needs
                plain = data.get("text/plain", "")
                output["data"] = ({"text/plain": plain} if "%|" in plain
                                  else {"text/html": NEEDS_KERNEL.format(name=html.escape(name))})
    nb.metadata.pop("widgets", None)
    return nb


def page(nb: nbformat.NotebookNode, title: str) -> str:
    """One notebook as a page: nbconvert's lab template, with its CDN scripts swapped for the local copies."""
    exporter = HTMLExporter(template_name="lab", mathjax_url=MATHJAX_URL)
    body, resources = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    require = f'<script src="{resources["require_js_url"]}"></script>'
    if require not in body:
        raise RuntimeError("nbconvert's template changed: the require.js script tag was not found")
    if "</head>" not in body:
        raise RuntimeError("nbconvert's template changed: no </head> for the link style")
    # the notebooks' links read as links by their underline, not by a colour close to the text's (axe-core's
    # link-in-text-block: the lab template's #0d47a1 on #212121 is 1.9:1)
    body = body.replace("</head>", f"<style>{LINK_CSS}</style></head>", 1)
    return body.replace(require, '<script src="plotly.min.js"></script>')


def index_page(course_map: str, exported: list[str]) -> str:
    """The course map (00's table) with a link to each exported page."""
    rows = re.findall(r"^\| (\d\d) \| `(\w+)` \| (.*?) \| (.*?) \|$", course_map, flags=re.M)
    items = "".join(f"<tr><td>{n}</td><td><a href='{name}.html'>{name}</a></td><td>{html.escape(what)}</td>"
                    f"<td>{time}</td></tr>" if name in exported else "" for n, name, what, time in rows)
    return ("<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Unrolled</title>"
            "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto}td{padding:4px 8px;vertical-align:top}"
            "</style></head><body><h1>Unrolled: recurrent neural networks, by experiment</h1>"
            "<p>A static copy of the course: scrubbers work here, live widgets and exercises need "
            "JupyterLab (<code>make lab</code>).</p><table>" + items + "</table></body></html>")


def export(notebooks: list[Path], out: Path) -> list[Path]:
    """Execute and export each notebook into `out` with the shared assets and an index; the pages written."""
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    shutil.copy(PLOTLY_JS, out / "plotly.min.js")
    shutil.copytree(MATHJAX, out / "mathjax", ignore=shutil.ignore_patterns("localization", "*.py"))
    pages = []
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        NotebookClient(nb, timeout=600, kernel_name="python3", store_widget_state=False,
                       resources={"metadata": {"path": str(path.parent)}}).execute()
        pages.append(out / f"{path.stem}.html")
        pages[-1].write_text(page(offline_outputs(nb, path.name), path.stem), encoding="utf-8")
        print(f"{path.name} -> {pages[-1]}", flush=True)
    start = nbformat.read(ROOT / "notebooks" / "00_start_here.ipynb", as_version=4)
    course_map = next(c.source for c in start.cells if "## The course map" in c.source)
    (out / "index.html").write_text(index_page(course_map, [p.stem for p in pages]), encoding="utf-8")
    return pages


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "html")
    parser.add_argument("notebooks", nargs="*", type=Path)
    args = parser.parse_args(argv)
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    os.environ["UNROLLED_PROGRESS"] = "off"   # the static copy shows no one's progress, and records none
    export(args.notebooks or sorted((ROOT / "notebooks").glob("*.ipynb")), args.out)
    size = sum(f.stat().st_size for f in args.out.rglob("*") if f.is_file())
    print(f"wrote {args.out}: {size / 2**20:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
