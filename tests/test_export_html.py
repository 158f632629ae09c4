"""scripts/export_html.py without a browser: outputs made offline, the index from the course map."""

import importlib.util
from pathlib import Path

import nbformat
import plotly.graph_objects as go

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "export_html.py"
spec = importlib.util.spec_from_file_location("export_html", SCRIPT)
export_html = importlib.util.module_from_spec(spec)
spec.loader.exec_module(export_html)


def _notebook_with(*outputs) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("x", outputs=list(outputs))]
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {"big": "x" * 1000}}}
    return nb


def _display(data: dict) -> nbformat.NotebookNode:
    return nbformat.v4.new_output("display_data", data=data)


def test_plotly_figures_use_the_shared_plotly_js_and_the_cdn_loader_is_dropped():
    figure = go.Figure(go.Scatter(y=[1, 2])).to_plotly_json()
    loader = _display({"text/html": "<script>require.config({paths: {plotly: 'https://cdn.plot.ly/plotly-4.min'}})</script>"})
    nb = export_html.offline_outputs(_notebook_with(loader, _display({export_html.PLOTLY_JSON: figure})), "01.ipynb")
    outputs = nb.cells[0].outputs
    assert len(outputs) == 1 and "Plotly.newPlot" in outputs[0].data["text/html"]
    assert "cdn.plot.ly" not in outputs[0].data["text/html"] and "widgets" not in nb.metadata


def test_a_live_widget_says_it_needs_a_kernel_and_a_progress_bar_keeps_its_text():
    view = {export_html.WIDGET_VIEW: {"model_id": "abc"}}
    live = _display({**view, "text/plain": "VBox(children=(...))"})
    bar = _display({**view, "text/plain": "training: 100%|██████████| 10/10"})
    outputs = export_html.offline_outputs(_notebook_with(live, bar), "06_story.ipynb").cells[0].outputs
    assert "needs a running notebook" in outputs[0].data["text/html"] and "06_story.ipynb" in outputs[0].data["text/html"]
    assert outputs[1].data == {"text/plain": "training: 100%|██████████| 10/10"}


def test_the_index_links_every_exported_notebook_of_the_course_map():
    course_map = "| 00 | `00_start` | map | 5 min |\n| 01 | `01_ff` | context | 30 min |"
    index = export_html.index_page(course_map, ["00_start", "01_ff"])
    assert "href='00_start.html'" in index and "href='01_ff.html'" in index and "30 min" in index
