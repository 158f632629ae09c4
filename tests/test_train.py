import pytest
import torch
from torch import nn

from course_utils.runtime import seed_everything
from course_utils.train import accuracy, fraction_correct, make_optimizer, train_classifier


def _blobs():
    seed_everything(0)
    x = torch.randn(200, 2)
    y = (x[:, 0] + x[:, 1] > 0).long()
    return x, y


def test_training_learns_a_separable_task_and_records_history():
    x, y = _blobs()
    model = nn.Linear(2, 2)
    before = accuracy(model, x, y)
    history = train_classifier(model, x, y, epochs=100, lr=0.1, progress=False)
    assert history.epochs == 100 and len(history.accuracy) == 100
    assert history.accuracy[-1] >= 0.97 > before
    assert history.loss[-1] < history.loss[0]


def test_training_stops_at_the_target_accuracy():
    x, y = _blobs()
    history = train_classifier(nn.Linear(2, 2), x, y, epochs=500, lr=0.1, target_accuracy=0.9,
                               progress=False)
    assert history.epochs < 500 and history.accuracy[-1] >= 0.9


def test_training_is_deterministic():
    runs = []
    for _ in range(2):
        x, y = _blobs()
        runs.append(train_classifier(nn.Linear(2, 2), x, y, epochs=5, batch_size=32, progress=False).loss)
    assert runs[0] == runs[1]


def test_unknown_optimizer_is_named():
    with pytest.raises(ValueError, match="unknown optimizer 'adamw'"):
        make_optimizer(nn.Linear(2, 2), "adamw", 0.1)


class _RecordingNet(nn.Module):
    """A linear classifier that records which samples (feature 0 = sample index) each training batch held."""

    def __init__(self) -> None:
        super().__init__()
        self.linear = nn.Linear(2, 2)
        self.seen: list[list[int]] = []

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.training:
            self.seen.append(x[:, 0].long().cpu().tolist())
        return self.linear(x)


def _devices() -> list[str]:
    return ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])


@pytest.mark.parametrize("device", _devices())
def test_batch_order_comes_from_a_cpu_generator_whatever_the_device(device):
    n, batch_size, epochs, seed = 10, 4, 2, 123
    x = torch.stack([torch.arange(n, dtype=torch.float32), torch.zeros(n)], dim=1)
    y = torch.zeros(n, dtype=torch.long)
    model = _RecordingNet()
    train_classifier(model, x, y, epochs=epochs, batch_size=batch_size, batch_seed=seed,
                     device=device, progress=False)
    generator = torch.Generator().manual_seed(seed)
    expected = [b.tolist() for _ in range(epochs) for b in torch.randperm(n, generator=generator).split(batch_size)]
    assert model.seen == expected
    assert next(model.parameters()).device.type == device


def test_batch_order_ignores_the_global_cuda_and_cpu_streams_once_seeded():
    x, y = _blobs()
    orders = []
    for noise in (0, 5):
        torch.rand(noise)                      # move torch's global stream: the batch order must not care
        model = _RecordingNet()
        xi = torch.stack([torch.arange(len(x), dtype=torch.float32), x[:, 0]], dim=1)
        train_classifier(model, xi, y, epochs=1, batch_size=50, batch_seed=7, progress=False)
        orders.append(model.seen)
    assert orders[0] == orders[1] and len(orders[0]) == 4


def test_accuracy_is_an_exact_fraction_so_a_target_like_199_of_201_is_met_on_every_device():
    targets = torch.zeros(201, dtype=torch.long)
    logits = torch.zeros(201, 2)
    logits[199:, 1] = 1.0                         # the last two rows predict class 1: 199 of 201 right
    assert fraction_correct(logits, targets) == 199 / 201   # a float32 mean gives 0.99004978 or ...66
    assert fraction_correct(logits, targets) >= 199 / 201


def test_fit_full_batch_stops_at_a_fractional_target():
    from course_utils.story_model import fit_full_batch

    torch.manual_seed(0)
    X = torch.randn(201, 3)
    y = (X[:, 0] > 0).long()
    y[:2] = 1 - y[:2]                              # two rows no linear model can get right together
    model = nn.Linear(3, 2)
    fit = fit_full_batch(model, X, y, target=199 / 201, lr=5e-2, max_epochs=500)
    assert fit.accuracy[-1] * 201 == pytest.approx(199) and len(fit.accuracy) < 500
