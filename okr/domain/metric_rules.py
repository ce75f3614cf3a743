"""Metric rules: the values each metric takes, its default target and where a target lies."""

from __future__ import annotations

from okr.domain.errors import InvalidInput
from okr.domain.values import Metric, finite

MIN_SPAN = 1e-6


def check_value(metric: Metric, value: float, field: str = "value") -> float:
    """A value fits its metric: BINARY takes 0 or 1, MILESTONE takes 0 to 100."""
    number = finite(value, field)
    if metric is Metric.BINARY and number not in (0.0, 1.0):
        raise InvalidInput(f"{field} of a BINARY key result is 0 or 1", field)
    if metric is Metric.MILESTONE and not 0.0 <= number <= 100.0:
        raise InvalidInput(f"{field} of a MILESTONE key result is 0 to 100", field)
    return number


def check_direction(metric: Metric, start: float, target: float) -> None:
    """An INCREASE_TO target lies above its start, a DECREASE_TO target below it."""
    if metric is Metric.INCREASE_TO and target <= start:
        raise InvalidInput("an INCREASE_TO target must be above the start", "target")
    if metric is Metric.DECREASE_TO and target >= start:
        raise InvalidInput("a DECREASE_TO target must be below the start", "target")
    if metric in (Metric.INCREASE_TO, Metric.DECREASE_TO) and abs(target - start) < MIN_SPAN:
        raise InvalidInput("the target must differ from the start by at least 1e-6", "target")


def default_target(metric: Metric) -> float:
    """The target when none is given: 100 for a MILESTONE, 1 for every other metric."""
    return 100.0 if metric is Metric.MILESTONE else 1.0


def check_fixed_scale(metric: Metric, start: float, target: float) -> None:
    """A BINARY key result starts at 0 and targets 1; a MILESTONE one targets 100 (and starts
    at 0 to 100, see `check_value`). Other figures are refused, never adjusted."""
    if metric is Metric.BINARY and (start, target) != (0.0, 1.0):
        field = "start" if start != 0.0 else "target"
        raise InvalidInput("a BINARY key result starts at 0 and targets 1", field)
    if metric is Metric.MILESTONE and target != 100.0:
        raise InvalidInput("a MILESTONE key result targets 100", "target")
