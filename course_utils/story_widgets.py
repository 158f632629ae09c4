"""Notebook 06's generation widget: type 3 words, see the top-5 next words and a continuation."""

from __future__ import annotations

import copy
import html

import ipywidgets as widgets
import plotly.graph_objects as go
from torch import nn

from .plots import role_color
from .story import N_INPUT, parse_context
from .story_model import generate
from .widgets import LiveFigure, live_figure


def _title(context: list[str], continuation: list[str]) -> str:
    """The figure title: the typed words, then the generated ones in bold."""
    typed = html.escape(" ".join(context))
    generated = html.escape(" ".join(continuation))
    return f"{typed} <b>{generated}</b>" if generated else typed


def generation_widget(model: nn.Module, word_to_id: dict[str, int], id_to_word: list[str],
                      start: str = "the mice had", n_words: int = 12, top_k: int = 5,
                      temperature: float = 1.0, seed: int = 0) -> LiveFigure:
    """A LiveFigure: a Text box (3 words), sliders for the words to generate, the temperature and the draw,
    driving a bar chart of the top_k next-word probabilities at that temperature, with the sampled
    continuation in the title (draw k uses numpy seed seed + k)."""
    cpu_model = copy.deepcopy(model).cpu().eval()  # tiny model: a CPU copy answers in ~1 ms

    def compute(text: object, n_words: int, temperature: object, draw: int) -> dict:
        ids = parse_context(text, word_to_id, N_INPUT)
        answer = generate(cpu_model, ids, id_to_word, n_words, top_k, temperature, seed + int(draw))
        return {0: {"x": answer.top_words, "y": answer.top_probs,
                    "text": [f"{p:.0%}" for p in answer.top_probs]},
                "layout": {"title": {"text": _title(answer.context, answer.continuation)}}}

    figure = go.Figure(go.Bar(x=[""] * top_k, y=[0.0] * top_k, textposition="outside",
                              marker_color=role_color("output")))
    figure.update_layout(height=340, yaxis=dict(range=[0, 1.15], title="probability of the next word"),
                         xaxis_title=f"the {top_k} most probable next words (at this temperature)",
                         margin=dict(l=60, r=20, t=80, b=50), title_font_size=13)
    controls = {"text": widgets.Text(value=start, description=f"{N_INPUT} words:",
                                     placeholder="e.g. the mice had"),
                "n_words": widgets.IntSlider(value=n_words, min=0, max=40, description="generate:"),
                "temperature": widgets.FloatSlider(value=temperature, min=0.05, max=2.0, step=0.05,
                                                   description="temperature:"),
                "draw": widgets.IntSlider(value=0, min=0, max=20, description="draw no.:")}
    return live_figure(figure, controls, compute)
