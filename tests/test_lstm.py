"""The reference LSTM/GRU cells match torch over whole sequences and expose every gate."""

import numpy as np
import pytest
import torch
from torch import nn

from course_utils.lstm import gru_gates, lstm_gates, lstm_weights, recurrent_param_count, sigmoid
from course_utils.memory_task import RecallNet, encode_words, recall_data, set_forget_bias, subject_data


def _sequence(T: int = 25, D: int = 3, seed: int = 0) -> torch.Tensor:
    return torch.randn(T, D, generator=torch.Generator().manual_seed(seed))


@pytest.mark.parametrize("num_layers", [1, 2])
def test_lstm_matches_torch_over_sequence(num_layers):
    torch.manual_seed(0)
    lstm = nn.LSTM(3, 5, num_layers=num_layers)
    x = _sequence()
    out, (h_n, c_n) = lstm(x)
    gates = lstm_gates(lstm, x, layer=num_layers - 1)
    assert np.abs(gates["h"] - out.detach().numpy()).max() <= 1e-6
    assert np.abs(gates["c"][-1] - c_n[-1].detach().numpy()).max() <= 1e-6


def test_lstm_lower_layer_matches_torch_final_state():
    torch.manual_seed(1)
    lstm = nn.LSTM(3, 4, num_layers=2)
    x = _sequence()
    _, (h_n, c_n) = lstm(x)
    gates = lstm_gates(lstm, x, layer=0)
    assert np.abs(gates["h"][-1] - h_n[0].detach().numpy()).max() <= 1e-6
    assert np.abs(gates["c"][-1] - c_n[0].detach().numpy()).max() <= 1e-6


@pytest.mark.parametrize("num_layers", [1, 2])
def test_gru_matches_torch_over_sequence(num_layers):
    torch.manual_seed(2)
    gru = nn.GRU(3, 5, num_layers=num_layers)
    x = _sequence()
    out, _ = gru(x)
    assert np.abs(gru_gates(gru, x, layer=num_layers - 1)["h"] - out.detach().numpy()).max() <= 1e-6


def test_lstm_gates_dict_has_six_arrays_of_shape_T_by_H():
    torch.manual_seed(0)
    gates = lstm_gates(nn.LSTM(3, 7), _sequence(T=11))
    assert sorted(gates) == sorted("figoch")
    assert all(v.shape == (11, 7) and v.dtype == np.float64 for v in gates.values())
    assert all(((0 < gates[k]) & (gates[k] < 1)).all() for k in "fio")
    assert np.allclose(gates["h"], gates["o"] * np.tanh(gates["c"]))


def test_lstm_gates_accept_batch_first_single_sequence_and_numpy():
    torch.manual_seed(0)
    lstm = nn.LSTM(3, 4, batch_first=True)
    x = _sequence(T=6)
    a = lstm_gates(lstm, x[None])
    b = lstm_gates(lstm, x.numpy())
    out, _ = lstm(x[None])
    assert np.abs(a["h"] - out[0].detach().numpy()).max() <= 1e-6
    assert np.allclose(a["h"], b["h"])


def test_lstm_weights_follow_torch_gate_order_i_f_g_o():
    torch.manual_seed(0)
    lstm = nn.LSTM(2, 3)
    p = lstm_weights(lstm)
    assert np.allclose(p["W_xf"], lstm.weight_ih_l0[3:6].detach().numpy())
    assert np.allclose(p["b_hg"], lstm.bias_hh_l0[6:9].detach().numpy())


@pytest.mark.parametrize("cell,module", [("rnn", nn.RNN), ("gru", nn.GRU), ("lstm", nn.LSTM)])
@pytest.mark.parametrize("num_layers", [1, 2])
def test_param_count_formula_matches_torch(cell, module, num_layers):
    net = module(4, 16, num_layers=num_layers)
    assert recurrent_param_count(cell, 4, 16, num_layers) == sum(p.numel() for p in net.parameters())


def test_lstm_has_four_times_the_parameters_of_an_rnn():
    assert recurrent_param_count("lstm", 4, 16) == 4 * recurrent_param_count("rnn", 4, 16) == 1408


@pytest.mark.parametrize("bad,match", [
    (torch.zeros(5, 2), "shape"), (torch.zeros(0, 3), "shape"), ("abc", "numbers|shape"),
    (torch.full((4, 3), float("nan")), "NaN"), (None, "numbers|shape")])
def test_lstm_gates_bad_input_gives_clear_error(bad, match):
    with pytest.raises(ValueError, match=match):
        lstm_gates(nn.LSTM(3, 4), bad)


def test_lstm_gates_rejects_wrong_module_and_layer():
    with pytest.raises(ValueError, match="nn.LSTM"):
        lstm_gates(nn.GRU(3, 4), torch.zeros(2, 3))
    with pytest.raises(ValueError, match="layer"):
        lstm_gates(nn.LSTM(3, 4), torch.zeros(2, 3), layer=1)
    with pytest.raises(ValueError, match="bidirectional"):
        lstm_gates(nn.LSTM(3, 4, bidirectional=True), torch.zeros(2, 3))
    with pytest.raises(ValueError, match="cell"):
        recurrent_param_count("transformer", 3, 4)


def test_sigmoid_does_not_overflow():
    assert np.allclose(sigmoid(np.array([-1000.0, 0.0, 1000.0])), [0.0, 0.5, 1.0])


def test_forget_bias_sets_total_bias_and_starting_gate():
    lstm = nn.LSTM(4, 16)
    set_forget_bias(lstm, 1.0)
    total = (lstm.bias_ih_l0 + lstm.bias_hh_l0)[16:32]
    assert torch.allclose(total, torch.ones(16))
    with pytest.raises(ValueError, match="forget"):
        set_forget_bias(nn.GRU(4, 16), 1.0)


def test_recall_data_shows_the_bit_only_at_t0():
    x, y = recall_data(64, gap=7, distractors="discrete", seed=3)
    assert x.shape == (64, 8, 4) and y.shape == (64,)
    assert torch.equal(x[:, 0, :2].argmax(-1), y) and x[:, 1:, :2].abs().sum() == 0
    xn, _ = recall_data(64, gap=7, distractors="noise", seed=3)
    assert xn[:, 1:].std() > 0.5
    with pytest.raises(ValueError, match="distractors"):
        recall_data(4, 3, distractors="music")


def test_subject_data_target_is_the_last_subject():
    x, y = subject_data(50, length=9, seed=4)
    ids = x.argmax(-1)
    for row in range(50):
        subjects = [int(i) for i in ids[row] if i < 2]
        assert subjects and subjects[-1] == int(y[row])
    assert encode_words("he saw a cat").shape == (4, 14)
    with pytest.raises(ValueError, match="unknown"):
        encode_words("she saw a dog")


def test_recall_net_outputs_logits_per_sequence():
    for cell in ("rnn", "gru", "lstm"):
        assert RecallNet(cell, 8)(torch.zeros(3, 5, 4)).shape == (3, 2)
    with pytest.raises(ValueError, match="cell"):
        RecallNet("tcn")


def test_lstm_with_open_forget_gate_learns_to_hold_a_bit_over_noise():
    from course_utils.train import train_classifier
    from course_utils.memory_task import recall_accuracy

    x, y = recall_data(512, gap=8, distractors="noise", seed=1)
    x_test, y_test = recall_data(500, gap=8, distractors="noise", seed=2)
    torch.manual_seed(0)
    model = RecallNet("lstm", 16, forget_bias=1.0)
    train_classifier(model, x, y, epochs=30, lr=1e-2, batch_size=128, target_accuracy=1.0, progress=False)
    assert recall_accuracy(model.cpu(), x_test, y_test) >= 0.95
