"""Guards on the training loop (course_utils/train.py): each test fails on one real bug that the rest of the
suite lets through (scripts/mutation_check.py applies each bug and runs these)."""

import torch
from torch import nn

from course_utils.train import accuracy, train_epoch


def _dropout_model() -> nn.Module:
    """Identity logits, then dropout with p = 1: every logit is 0 in training mode, unchanged in eval mode."""
    return nn.Sequential(nn.Identity(), nn.Dropout(p=1.0))


def test_accuracy_leaves_a_model_in_eval_mode_in_eval_mode():
    model = _dropout_model().eval()
    accuracy(model, torch.eye(4), torch.arange(4))
    assert not model.training, "accuracy() switched an eval-mode model to training mode"


def test_accuracy_measures_in_eval_mode_and_gives_training_mode_back():
    model = _dropout_model().train()
    inputs, targets = torch.eye(4) + 0.1, torch.arange(4)
    assert accuracy(model, inputs, targets) == 1.0, "accuracy() measured with dropout on"
    assert model.training, "accuracy() did not give the model its training mode back"


def test_train_epoch_clips_the_gradients_norm_and_keeps_its_direction():
    torch.manual_seed(0)
    model, inputs, targets = nn.Linear(6, 3), 10 * torch.randn(32, 6), torch.randint(3, (32,))
    opt = torch.optim.SGD(model.parameters(), lr=0.0)          # lr 0: the weights stay, the gradient stays in .grad
    train_epoch(model, opt, inputs, targets, [torch.arange(32)], clip=0.5)
    clipped = torch.cat([p.grad.flatten() for p in model.parameters()])
    model.zero_grad()
    nn.functional.cross_entropy(model(inputs), targets).backward()
    full = torch.cat([p.grad.flatten() for p in model.parameters()])
    assert full.norm() > 1.0, "the probe's gradient must be larger than the clip"
    assert torch.isclose(clipped.norm(), torch.tensor(0.5), rtol=1e-5), f"norm after clip 0.5: {clipped.norm():.3g}"
    assert torch.allclose(clipped, full * (0.5 / full.norm()), rtol=1e-4, atol=1e-7), "clipping changed the direction"
