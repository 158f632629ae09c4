"""A character LSTM trained the way books are trained: stateful batches (row b of one batch continues row b
of the previous one), truncated BPTT (the state is detached every num_steps characters), gradient clipping
by global norm, dropout, and early stopping on validation perplexity. Also: per-position log-loss, and
saving / loading small float16 weights.
"""

from __future__ import annotations

import json
import math
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch
from torch import nn
from tqdm.auto import tqdm

from .corpus import sequential_rows, stateful_batches
from .runtime import cpu_generator

MODEL_FILE = Path(__file__).parent / "data" / "time_machine_lstm.pt"
RUNS_FILE = Path(__file__).parent / "data" / "time_machine_runs.json"


class CharLSTM(nn.Module):
    """Embedding -> dropout -> LSTM -> dropout -> linear read-out of every step."""

    def __init__(self, vocab_size: int, embed: int = 32, hidden: int = 256, layers: int = 1,
                 dropout: float = 0.2) -> None:
        super().__init__()
        self.config = dict(vocab_size=vocab_size, embed=embed, hidden=hidden, layers=layers, dropout=dropout)
        self.embed = nn.Embedding(vocab_size, embed)
        self.drop = nn.Dropout(dropout)
        self.lstm = nn.LSTM(embed, hidden, layers, batch_first=True, dropout=dropout if layers > 1 else 0.0)
        self.out = nn.Linear(hidden, vocab_size)

    def forward(self, ids: torch.Tensor, state=None) -> tuple[torch.Tensor, tuple[torch.Tensor, torch.Tensor]]:
        """Logits (B, T, vocab) for ids (B, T), starting from state (zeros when None); the final state."""
        outputs, state = self.lstm(self.drop(self.embed(ids)), state)
        return self.out(self.drop(outputs)), state


def detach(state):
    """The same state cut from the graph: truncated BPTT stops here."""
    return tuple(s.detach() for s in state)


@torch.no_grad()
def stream_log_probs(model: CharLSTM, ids: np.ndarray, chunk: int = 2000) -> tuple[np.ndarray, np.ndarray]:
    """Read ids as one stream from a zero state: ln P(ids[i] | ids[:i]) for i >= 1 (len(ids) - 1,), and
    the hidden state h_i after reading ids[i] for every input (len(ids) - 1, hidden), last layer."""
    was_training = model.training
    model.eval()
    device = next(model.parameters()).device
    x = torch.as_tensor(np.asarray(ids[:-1]), device=device)[None]
    y = torch.as_tensor(np.asarray(ids[1:]), device=device)
    state, logps, hiddens = None, [], []
    for start in range(0, x.shape[1], chunk):
        emb = model.embed(x[:, start:start + chunk])
        outputs, state = model.lstm(emb, state)
        logits = model.out(outputs)[0]
        logps.append(torch.log_softmax(logits.double(), -1).gather(1, y[start:start + chunk, None])[:, 0])
        hiddens.append(outputs[0])
    model.train(was_training)
    return torch.cat(logps).cpu().numpy(), torch.cat(hiddens).float().cpu().numpy()


@torch.no_grad()
def next_char_probs(model: CharLSTM, ids: np.ndarray) -> np.ndarray:
    """(len(ids) - 1, vocab): the model's distribution of the next character after each of ids[:-1], read as one
    stream from a zero state."""
    model.eval()
    device = next(model.parameters()).device
    logits, _ = model(torch.as_tensor(np.asarray(ids[:-1]), device=device)[None])
    return torch.softmax(logits[0].double(), -1).cpu().numpy()


@torch.no_grad()
def rows_perplexity(model: CharLSTM, ids: np.ndarray, rows: int = 16) -> float:
    """Perplexity of ids cut into `rows` contiguous rows read in parallel from zero states (fast, for validation)."""
    was_training = model.training
    model.eval()
    device = next(model.parameters()).device
    inputs, targets = (torch.as_tensor(a, device=device) for a in sequential_rows(ids, rows))
    logits, _ = model(inputs)
    loss = nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1))
    model.train(was_training)
    return math.exp(loss.item())


@dataclass
class CharHistory:
    """Training loss (mean since the last evaluation) and validation perplexity at each evaluation."""

    steps: list[int] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)
    train_perplexity: list[float] = field(default_factory=list)
    val_perplexity: list[float] = field(default_factory=list)
    best_step: int = 0
    stopped_early: bool = False

    @property
    def best_val(self) -> float:
        """The lowest validation perplexity seen (the weights kept)."""
        return min(self.val_perplexity) if self.val_perplexity else float("inf")


def train_stateful(model: CharLSTM, train_ids: np.ndarray, val_ids: np.ndarray, batch_size: int = 32,
                   num_steps: int = 64, lr: float = 3e-3, clip: float = 1.0, max_steps: int = 1000,
                   max_seconds: float | None = None, eval_every: int = 50, patience: int = 4,
                   batch_seed: int = 0, progress: bool = True, desc: str = "training") -> CharHistory:
    """Adam with truncated BPTT on stateful batches (state detached every num_steps characters, reset each
    epoch at a random offset), clipping by global norm, early stopping on validation perplexity
    (patience evaluations); the model ends with its best validation weights."""
    device = next(model.parameters()).device
    generator, opt = cpu_generator(batch_seed), torch.optim.Adam(model.parameters(), lr=lr)
    history, best, start, step, running = CharHistory(), None, time.perf_counter(), 0, []
    bar = tqdm(total=max_steps, desc=desc, disable=not progress, mininterval=0.25)
    while step < max_steps:
        offset = int(torch.randint(num_steps, (1,), generator=generator))
        state = None
        for X, Y in stateful_batches(train_ids, batch_size, num_steps, offset):
            state = None if state is None else detach(state)   # truncated BPTT: no gradient past this batch
            logits, state = model(X.to(device), state)
            loss = nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), Y.to(device).reshape(-1))
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), clip)
            opt.step()
            step, _ = step + 1, running.append(loss.item())
            bar.update(1)
            out_of_time = max_seconds is not None and time.perf_counter() - start > max_seconds
            if step % eval_every == 0 or step == max_steps or out_of_time:
                best = _evaluate(model, val_ids, history, step, running, start, best)
                running = []
                if step - history.best_step >= patience * eval_every:
                    history.stopped_early = True
                if history.stopped_early or step >= max_steps or out_of_time:
                    bar.close()
                    model.load_state_dict(best)
                    return history
    bar.close()
    return history


def _evaluate(model: CharLSTM, val_ids: np.ndarray, history: CharHistory, step: int, running: list[float],
              start: float, best: dict | None) -> dict:
    """Append one evaluation to history; return the best weights so far (a copy)."""
    val = rows_perplexity(model, val_ids)
    improved = val < history.best_val      # strictly better than every earlier evaluation
    history.steps.append(step)
    history.seconds.append(time.perf_counter() - start)
    history.train_perplexity.append(math.exp(float(np.mean(running))))
    history.val_perplexity.append(val)
    if best is None or improved:
        history.best_step = step
        best = {k: v.detach().clone() for k, v in model.state_dict().items()}
    return best


def save_model(model: CharLSTM, path: Path, **extra) -> None:
    """Save the config and float16 weights (about 2 bytes per parameter) with extra facts (e.g. its perplexities)."""
    weights = {k: v.detach().cpu().half() for k, v in model.state_dict().items()}
    torch.save({"config": model.config, "weights": weights, **extra}, path)


def load_model(path: Path = MODEL_FILE, device: torch.device | str = "cpu") -> tuple[CharLSTM, dict]:
    """The saved model in float32 on device (in eval mode), and the saved dict (config, facts)."""
    saved = torch.load(path, map_location="cpu", weights_only=True)
    model = CharLSTM(**saved["config"])
    model.load_state_dict({k: v.float() for k, v in saved["weights"].items()})
    return model.to(device).eval(), saved


def load_runs(path: Path = RUNS_FILE) -> dict:
    """The shipped longer runs (benchmarks/time_machine_runs.py): set-up, per run its curves and test perplexity,
    which run's model ships, and the Kneser-Ney perplexities per order."""
    return json.loads(Path(path).read_text())


@torch.no_grad()
def cell_states(model: CharLSTM, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """h_t and c_t (len(ids) - 1, hidden) of the (one-layer) LSTM reading ids[:-1] from a zero state: the gates
    of all steps in one product from torch's h_{t-1}, then the cell recurrence c_t = f_t c_{t-1} + i_t g_t."""
    if model.lstm.num_layers != 1:
        raise ValueError("cell_states reads a one-layer LSTM")
    _, hidden = stream_log_probs(model, ids)
    device = next(model.parameters()).device
    x = model.embed(torch.as_tensor(np.asarray(ids[:-1]), device=device)).double().cpu().numpy()
    h_prev = np.vstack([np.zeros((1, hidden.shape[1])), hidden[:-1]])
    lstm, H = model.lstm, hidden.shape[1]
    W = torch.cat([lstm.weight_ih_l0, lstm.weight_hh_l0], 1)[:3 * H].double().cpu().numpy()   # i, f, g: o not needed
    z = np.hstack([x, h_prev]) @ W.T + (lstm.bias_ih_l0 + lstm.bias_hh_l0)[:3 * H].double().cpu().numpy()
    z_i, z_f, z_g = np.split(z, 3, axis=1)                    # torch's gate order: i, f, g, o
    f = 1 / (1 + np.exp(-z_f))
    ig = np.tanh(z_g) / (1 + np.exp(-z_i))
    c = np.zeros_like(ig)
    for t in range(len(c)):
        c[t] = f[t] * (c[t - 1] if t else 0.0) + ig[t]
    return hidden, c
