"""Facts about the gym log: the schedule, missed days, and features that say nothing about the order."""

import numpy as np
import pytest

from course_utils import gym


@pytest.fixture(scope="module")
def log():
    return gym.make_gym_log()


def test_log_is_seeded_and_reproducible():
    a, b = gym.make_gym_log(seed=3), gym.make_gym_log(seed=3)
    assert np.array_equal(a.workout, b.workout) and np.array_equal(a.health, b.health)
    assert not np.array_equal(a.attended, gym.make_gym_log(seed=4).attended)


def test_log_covers_three_years_of_days(log):
    assert len(log) == 1095
    assert log.dates[0].weekday() == 0 and (log.dates[-1] - log.dates[0]).days == 1094


def test_about_fifteen_percent_of_days_are_missed(log):
    assert 0.12 < 1 - log.attended.mean() < 0.18
    assert np.all(log.workout[~log.attended] == gym.MISSED)


def test_attended_days_follow_the_cycle_across_gaps(log):
    sessions = log.workout[log.attended]
    assert sessions[0] == 0
    assert np.all(sessions[1:] == (sessions[:-1] + 1) % 3)


def test_yesterday_determines_today(log):
    days, before, today = gym.yesterday_and_today(log)
    assert len(days) == log.attended.sum()
    assert np.all(today == (before + 1) % 3)


def test_cycle_of_three_is_not_aligned_with_the_week(log):
    days, _, today = gym.yesterday_and_today(log)
    table = np.zeros((7, 3))
    np.add.at(table, (log.day_of_week[days], today), 1)
    share = table / table.sum(axis=1, keepdims=True)
    assert share.max() < 0.40  # every weekday sees every workout about equally often


def test_without_missed_days_every_weekday_meets_every_workout_once_in_21_days():
    log = gym.make_gym_log(n_days=21, miss_rate=0.0)
    pairs = set(zip(log.day_of_week.tolist(), log.workout.tolist()))
    assert len(pairs) == 21


def test_calendar_lookup_guesses_at_chance_on_a_new_year(log):
    days, _, today = gym.yesterday_and_today(log)
    year = np.array([(log.dates[d] - log.dates[0]).days // 365 for d in days])
    key = np.column_stack([log.day_of_week[days], log.month[days]])
    acc = gym.lookup_accuracy(key[year < 2], today[year < 2], key[year == 2], today[year == 2])
    assert acc < 0.42


def test_lookup_on_yesterday_is_perfect(log):
    days, before, today = gym.yesterday_and_today(log)
    assert gym.lookup_accuracy(before[:500], today[:500], before[500:], today[500:]) == 1.0


def test_carry_forward_repeats_the_last_attended_workout():
    assert gym.carry_forward([0, None, 1, -1, -1, 2]).tolist() == [0, 0, 1, 1, 1, 2]


def test_carry_forward_leading_gap_needs_first():
    assert gym.carry_forward([None, 1], first=0).tolist() == [0, 1]
    with pytest.raises(ValueError, match="no workout was attended"):
        gym.carry_forward([None, 1])


def test_missed_day_does_not_move_the_schedule_on():
    log = gym.make_gym_log(n_days=60, miss_rate=0.3, seed=1)
    filled = gym.carry_forward(log.workout, first=2)
    for k in np.flatnonzero(log.attended)[1:]:
        assert log.workout[k] == (filled[k - 1] + 1) % 3


def test_one_hot_rows_and_bad_index():
    assert gym.one_hot([2, 0], 3).tolist() == [[0, 0, 1], [1, 0, 0]]
    with pytest.raises(ValueError, match="must lie in"):
        gym.one_hot([3], 3)


def test_calendar_features_shape_and_standardised_health(log):
    features = gym.calendar_features(log)
    assert features.shape == (1095, 21)
    assert np.allclose(features[:, :7].sum(axis=1), 1) and np.allclose(features[:, 7:19].sum(axis=1), 1)
    assert np.allclose(features[:, 19:].mean(axis=0), 0, atol=1e-9)


def test_calendar_health_features_have_unit_standard_deviation(log):
    health = gym.calendar_features(log)[:, 19:]
    assert np.allclose(health.std(axis=0), 1.0)  # raw: about 5 bpm and 0.8 h
    assert np.allclose(health * log.health.std(axis=0) + log.health.mean(axis=0), log.health)


def test_windows_cut_without_overlap():
    w = gym.windows(np.arange(23), 5)
    assert w.shape == (4, 5) and w[1, 0] == 5
    with pytest.raises(ValueError):
        gym.windows(np.arange(3), 0)


def test_bad_arguments_get_words():
    with pytest.raises(ValueError, match="miss_rate"):
        gym.make_gym_log(miss_rate=1.0)


def test_visits_right_after_a_gap_are_each_workout_about_a_third_of_the_time():
    # the premise of 02's bound on `best_constant`: after a missed day, no workout is favoured
    counts = np.zeros(3)
    for seed in range(40):
        log = gym.make_gym_log(seed=seed)
        after_gap = log.attended & np.concatenate([[False], ~log.attended[:-1]])
        counts += np.bincount(log.workout[after_gap], minlength=3)
    shares = counts / counts.sum()
    assert counts.sum() > 5000 and np.all(np.abs(shares - 1 / 3) < 0.02)


def test_weekday_shares_average_a_third_over_many_diaries():
    # the largest of the 21 weekday-workout shares is chance unevenness: each share averages 1/3
    shares = []
    for seed in range(40):
        log = gym.make_gym_log(seed=seed)
        days, _, today = gym.yesterday_and_today(log)
        table = np.zeros((7, 3))
        np.add.at(table, (log.day_of_week[days], today), 1)
        shares.append(table / table.sum(axis=1, keepdims=True))
    assert np.all(np.abs(np.mean(shares, axis=0) - 1 / 3) < 0.02)
