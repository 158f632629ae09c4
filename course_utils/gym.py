"""The trainer's repeating workout schedule (seeds 000 and 002): a seeded log of gym days.

Each attended day's workout is the next one in a fixed cycle after the last *attended* workout,
so a missed day does not move the schedule on. Day of week, month and the health readings are
recorded too, but they carry no information about the order.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Sequence

import numpy as np

from .lookup import lookup_predictions

WORKOUTS: tuple[str, ...] = ("shoulder", "biceps", "cardio")
DAY_NAMES: tuple[str, ...] = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MISSED = -1  # the workout index of a day the learner skipped


@dataclass(frozen=True)
class GymLog:
    """One row per calendar day: date, attended?, workout index (MISSED if not), health (N, 2)."""

    dates: tuple[date, ...]
    attended: np.ndarray
    workout: np.ndarray
    health: np.ndarray
    workouts: tuple[str, ...] = WORKOUTS

    @property
    def day_of_week(self) -> np.ndarray:
        """Day of week per day, 0 = Monday … 6 = Sunday, shape (N,)."""
        return np.array([d.weekday() for d in self.dates])

    @property
    def month(self) -> np.ndarray:
        """Month per day, 1 … 12, shape (N,)."""
        return np.array([d.month for d in self.dates])

    def __len__(self) -> int:
        return len(self.dates)


def make_gym_log(n_days: int = 3 * 365, start: date = date(2022, 1, 3), miss_rate: float = 0.15,
                 workouts: Sequence[str] = WORKOUTS, seed: int = 0) -> GymLog:
    """A seeded log of n_days: the schedule cycles over `workouts`, skipping missed days.

    The first attended day does workouts[0] (the day before the log, the last workout was done).
    Health is (resting heart rate in bpm, hours of sleep), drawn independently of everything else.
    """
    if n_days < 1 or not 0.0 <= miss_rate < 1.0 or len(workouts) < 2:
        raise ValueError("need n_days >= 1, 0 <= miss_rate < 1 and at least two workouts")
    rng = np.random.default_rng(seed)
    attended = rng.random(n_days) >= miss_rate
    sessions_so_far = np.cumsum(attended) - 1
    workout = np.where(attended, sessions_so_far % len(workouts), MISSED)
    health = np.column_stack([rng.normal(62.0, 5.0, n_days), rng.normal(7.2, 0.8, n_days)])
    dates = tuple(start + timedelta(days=k) for k in range(n_days))
    return GymLog(dates, attended, workout.astype(int), health, tuple(workouts))


def carry_forward(workouts: Sequence[int | None], first: int | None = None) -> np.ndarray:
    """Each day's last attended workout (a missed day, None or -1, repeats the day before), (T,).

    Leading missed days take `first`; without it they raise a ValueError.
    """
    filled, last = [], first
    for k, workout in enumerate(workouts):
        if workout is not None and int(workout) != MISSED:
            last = int(workout)
        elif last is None:
            raise ValueError(f"day {k} is missed and no workout was attended before it: pass `first=`")
        filled.append(last)
    return np.array(filled, dtype=int)


def one_hot(indices: Sequence[int] | np.ndarray, n_classes: int) -> np.ndarray:
    """One row per index with a single 1 in that column, shape (len(indices), n_classes)."""
    indices = np.asarray(indices, dtype=int)
    if indices.size and (indices.min() < 0 or indices.max() >= n_classes):
        raise ValueError(f"indices must lie in 0 … {n_classes - 1}, got {indices.min()} … {indices.max()}")
    return np.eye(n_classes)[indices]


def yesterday_and_today(log: GymLog) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """On attended days: (day numbers, last attended workout before that day, that day's workout)."""
    first = len(log.workouts) - 1  # the schedule ran before the log started
    last_attended = carry_forward(log.workout, first=first)
    before = np.concatenate([[first], last_attended[:-1]])
    days = np.flatnonzero(log.attended)
    return days, before[days], log.workout[days]


def calendar_features(log: GymLog) -> np.ndarray:
    """Per day: day-of-week one-hot (7), month one-hot (12), standardised health (2); (N, 21)."""
    health = (log.health - log.health.mean(axis=0)) / log.health.std(axis=0)
    return np.hstack([one_hot(log.day_of_week, 7), one_hot(log.month - 1, 12), health])


def windows(sequence: np.ndarray, length: int) -> np.ndarray:
    """Non-overlapping windows of `length` steps along axis 0, (len // length, length, ...)."""
    if length < 1:
        raise ValueError("window length must be at least 1")
    n = len(sequence) // length
    return np.asarray(sequence)[: n * length].reshape(n, length, *np.shape(sequence)[1:])


def lookup_accuracy(train_keys: np.ndarray, train_targets: np.ndarray,
                    test_keys: np.ndarray, test_targets: np.ndarray) -> float:
    """Accuracy on test of the best lookup table from train: majority target per key (rows of keys)."""
    return float(np.mean(lookup_predictions(train_keys, train_targets, test_keys) == test_targets))
