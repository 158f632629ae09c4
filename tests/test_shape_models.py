"""Notebook 07's models: the encoder–decoder run both ways, the three taggers and their votes, the shipped table."""

import numpy as np
import pytest
import torch

from course_utils.both_sides import (DIRECTIONS, GRU_WEIGHTS, Tagger, TaggerBlock, direction_votes, gru_scan,
                                     load_shapes_table, moved_by_last_step, span_example, switch_votes, tagger_block,
                                     tagger_data, tagger_run)
from course_utils.seq2seq import (Seq2Seq, after_first_slip, position_accuracies, reverse_run, teacher_inputs,
                                  token_accuracies)
from course_utils.shape_tasks import both_sides_data, reverse_data


def test_teacher_inputs_are_the_start_token_then_the_targets_shifted_right():
    y = torch.tensor([[2, 0, 3, 4], [1, 1, 0, 4]])
    assert teacher_inputs(y, start=5).tolist() == [[5, 2, 0, 3], [5, 1, 1, 0]]


def test_generating_equals_teacher_forcing_fed_its_own_guesses():
    torch.manual_seed(0)
    model = Seq2Seq()
    x, _ = reverse_data(8, 5, seed=1)
    free = model.generate(x, 6)
    with torch.no_grad():
        forced = model(x, teacher_inputs(free.argmax(-1), model.start))
    assert free.shape == (8, 6, 5) and torch.allclose(free, forced, atol=1e-6)


def test_an_untrained_decoder_fed_the_truth_or_its_guesses_scores_both_ways():
    torch.manual_seed(0)
    acc = token_accuracies(Seq2Seq(), *reverse_data(200, 4, seed=2))
    assert set(acc) == {"teacher forcing", "own outputs"} and all(0 <= a <= 1 for a in acc.values())


def test_teacher_forcing_learns_to_reverse_three_tokens():
    _, acc = reverse_run(3, epochs=5, seed=0, device="cpu")
    assert acc["own outputs"] >= 0.95 and acc["teacher forcing"] >= 0.95


@pytest.mark.parametrize("direction,blind", [("forward", "future"), ("reversed", "past")])
def test_a_one_direction_tagger_cannot_see_one_side(direction, blind):
    torch.manual_seed(0)
    model = Tagger(DIRECTIONS[direction], direction)
    x, _ = both_sides_data(4, 10, seed=3)
    changed = x.clone()
    changed[:, 5:] = torch.tensor([0.0, 1.0]) if blind == "future" else changed[:, 5:]
    changed[:, :5] = torch.tensor([0.0, 1.0]) if blind == "past" else changed[:, :5]
    same = slice(0, 5) if blind == "future" else slice(5, 10)
    with torch.no_grad():
        assert torch.equal(model(x)[:, same], model(changed)[:, same])
        assert not torch.equal(model(x), model(changed))


def test_the_three_taggers_have_about_the_same_number_of_parameters():
    counts = [sum(p.numel() for p in Tagger(H, d).parameters()) for d, H in DIRECTIONS.items()]
    assert max(counts) - min(counts) <= 0.05 * max(counts)


def test_the_two_votes_and_the_bias_add_up_to_the_logit_difference():
    torch.manual_seed(0)
    model = Tagger(8, "bidirectional")
    x, _ = both_sides_data(30, 12, seed=4)
    forward, backward, bias = direction_votes(model, x)
    with torch.no_grad():
        logits = model(x)
    assert torch.allclose(forward + backward + bias, logits[..., 1] - logits[..., 0], atol=1e-5)


def test_a_marker_at_the_last_step_moves_no_earlier_forward_output_but_moves_the_bidirectional_ones():
    torch.manual_seed(0)
    x, _ = both_sides_data(500, 12, seed=5)
    x_one = x[span_example(x)]
    assert moved_by_last_step(Tagger(12, "forward"), x_one) == 0.0
    assert moved_by_last_step(Tagger(8, "bidirectional"), x_one) > 0.0


def test_span_example_asks_for_more_sequences_when_none_fits():
    with pytest.raises(ValueError, match="more sequences"):
        span_example(torch.zeros(3, 12, 2))


def test_a_tagger_refuses_an_unknown_direction():
    with pytest.raises(ValueError, match="direction"):
        Tagger(8, "sideways")


def test_the_shipped_table_holds_at_least_100_runs_of_every_quantity():
    table = load_shapes_table()
    assert len(table["runs"]) >= 100 and len(table["guess_noise"]) >= 1000 and len(table["masking_gap"]) >= 1000
    keys = {"forward", "reversed", "bidirectional", "votes", "moved", "s2s 5 9", "s2s 20 9"}
    assert all(keys <= set(run) for run in table["runs"])


def test_in_the_shipped_runs_only_the_bidirectional_tagger_gets_clear_of_the_ceiling():
    table = load_shapes_table()
    ceiling, noise = table["ceiling"], float(np.std(table["guess_noise"]))
    assert 0.002 < noise < 0.005
    assert all(r["forward"] <= ceiling + 4.5 * noise and r["reversed"] <= ceiling + 4.5 * noise for r in table["runs"])
    assert sum(r["bidirectional"] >= ceiling + 0.1 for r in table["runs"]) >= 0.97 * len(table["runs"])


def test_in_the_shipped_runs_generating_from_its_own_outputs_does_worse_than_teacher_forcing_at_six_tokens():
    gaps = [r["s2s 5 6"]["teacher forcing"] - r["s2s 5 6"]["own outputs"] for r in load_shapes_table()["runs"]]
    assert min(gaps) > 0.01


def test_switch_votes_reads_the_votes_at_the_outer_markers_and_beside_them():
    torch.manual_seed(0)
    model = Tagger(8, "bidirectional")
    x = torch.zeros(1, 12, 2)
    x[0, :, 0] = 1.0
    x[0, [3, 8], :] = torch.tensor([0.0, 1.0])                # markers at steps 3 and 8
    forward, backward, _ = direction_votes(model, x)
    votes = switch_votes(model, x)
    assert votes["forward at first marker"] == pytest.approx(forward[0, 3].item())
    assert votes["forward after first marker"] == pytest.approx(forward[0, 4].item())
    assert votes["backward at last marker"] == pytest.approx(backward[0, 8].item())
    assert votes["backward before last marker"] == pytest.approx(backward[0, 7].item())


def test_position_accuracies_average_to_the_token_accuracy():
    torch.manual_seed(0)
    model, x_y = Seq2Seq(), reverse_data(300, 5, seed=3)
    by_position, overall = position_accuracies(model, *x_y), token_accuracies(model, *x_y)
    assert len(by_position["own outputs"]) == 5
    for way in overall:
        assert np.mean(by_position[way]) == pytest.approx(overall[way], abs=1e-6)


def test_after_first_slip_scores_the_step_after_the_first_wrong_generated_token():
    torch.manual_seed(0)
    model, (x, y) = Seq2Seq(), reverse_data(200, 5, seed=4)
    slip = after_first_slip(model, x, y)
    free = model.generate(x, 6)[:, :5].argmax(-1) == y[:, :5]
    first = [int((~row).nonzero()[0]) for row in free if (~row).any()]
    expected = [bool(row[int((~row).nonzero()[0]) + 1]) for row in free if (~row).any() and int((~row).nonzero()[0]) < 4]
    assert slip["sequences"] == sum(f < 4 for f in first)
    assert slip["own outputs"] == pytest.approx(np.mean(expected))


def test_in_the_shipped_runs_the_votes_switch_beside_the_outer_markers_not_at_them():
    rows = load_shapes_table()["switch votes"]
    assert len(rows) >= 100
    assert min(r["forward after first marker"] - r["forward at first marker"] for r in rows) >= 0.5
    assert min(r["backward before last marker"] - r["backward at last marker"] for r in rows) >= 0.5


def test_in_the_shipped_runs_the_first_reversed_token_beats_the_last_and_a_slip_hurts_the_next_token():
    rows = load_shapes_table()["reverse 6"]
    assert len(rows) >= 100
    assert min(r["by position"]["own outputs"][0] - r["by position"]["own outputs"][-1] for r in rows) >= 0.05
    slips = [r["after first slip"] for r in rows]
    assert np.median([s["own outputs"] for s in slips]) < 0.3 and np.median([s["teacher forcing"] for s in slips]) > 0.8


def test_in_the_shipped_runs_the_longer_trained_reverser_rarely_recovers_from_its_first_slip():
    rows = load_shapes_table()["reverse 9 20 epochs"]
    assert len(rows) >= 100
    assert min(r["after first slip"]["teacher forcing"] - r["after first slip"]["own outputs"] for r in rows) >= 0.1
    assert np.median([r["after first slip"]["own outputs"] for r in rows]) < 0.05
    assert np.median([r["after first slip"]["teacher forcing"] for r in rows]) > 0.95


def test_a_tagger_block_trains_each_run_as_tagger_run_trains_it_alone():
    block = tagger_block([0, 1], device="cpu")
    for direction, runs in block.items():
        for seed, (model, acc) in enumerate(runs):
            alone, acc_alone = tagger_run(direction, seed, device="cpu")
            assert acc == pytest.approx(acc_alone, abs=1e-3)
            for (name, p), q in zip(model.named_parameters(), alone.parameters()):
                assert torch.allclose(p, q, atol=1e-3), (direction, seed, name)


def test_gru_scan_follows_nn_gru_equations_lane_by_lane():
    torch.manual_seed(0)
    grus = [torch.nn.GRU(2, 5, batch_first=True) for _ in range(3)]
    x = torch.randn(3, 4, 6, 2)
    weights = [torch.stack([getattr(g, name) for g in grus]) for name in GRU_WEIGHTS]
    with torch.no_grad():
        states = gru_scan(x, *weights)
        for lane, gru in enumerate(grus):
            assert torch.allclose(states[lane], gru(x[lane])[0], atol=1e-6)


def test_a_padded_lane_keeps_its_extra_units_at_zero_through_training():
    block = tagger_block([3], device="cpu", directions=("bidirectional",))
    model, _ = block["bidirectional"][0]
    assert model.rnn.hidden_size == DIRECTIONS["bidirectional"] < max(DIRECTIONS.values())
    torch.manual_seed(3)
    fresh = TaggerBlock([Tagger(DIRECTIONS["bidirectional"], "bidirectional"),
                         Tagger(DIRECTIONS["forward"], "forward")])
    w_hh = fresh.weights[1][0].view(3, 12, 12)
    assert (w_hh[:, 8:] == 0).all() and (w_hh[:, :, 8:] == 0).all()


@pytest.mark.parametrize("seed", [0, 7, 123])
def test_training_sets_hold_prefixes_a_forward_tagger_cannot_label_all_right(seed):
    (x, y), _ = tagger_data(seed)
    marker = x[..., 1].long()
    conflicts = 0
    for t in range(marker.shape[1] - 1):
        labels_by_prefix: dict = {}
        for prefix, label in zip(map(tuple, marker[:, :t + 1].tolist()), y[:, t].tolist()):
            labels_by_prefix.setdefault(prefix, set()).add(label)
        conflicts += sum(len(labels) == 2 for labels in labels_by_prefix.values())
    assert conflicts > 0       # the same past, different labels: no forward model gets every step right
