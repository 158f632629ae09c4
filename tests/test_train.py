import pytest
import torch
from torch import nn

from course_utils.runtime import seed_everything
from course_utils.train import accuracy, make_optimizer, train_classifier


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
