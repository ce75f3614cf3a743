"""Medians, percentiles and the rows a measurement reports."""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import asdict, dataclass
from typing import Any


def percentile(values: list[float], fraction: float) -> float:
    """The nearest-rank percentile of `values` (fraction 0.5 is the median)."""
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[rank]


@dataclass
class Row:
    """One figure: a median over rounds, latency percentiles, and the baseline beside it.

    `ratio` is figure / baseline for rates and baseline / figure for latencies, so above 1
    always means faster than the baseline.
    """

    key: str
    section: str
    what: str
    unit: str
    figure: float
    p50_ms: float | None = None
    p99_ms: float | None = None
    baseline: str | None = None
    baseline_figure: float | None = None
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if not self.baseline_figure or not self.figure:
            return None
        if self.unit.endswith("/s"):
            return self.figure / self.baseline_figure
        return self.baseline_figure / self.figure

    @property
    def times_baseline(self) -> float | None:
        """The figure as a multiple of its baseline's."""
        return self.figure / self.baseline_figure if self.baseline_figure else None

    def as_json(self) -> dict[str, Any]:
        return asdict(self) | {"ratio": self.ratio}


@dataclass
class Latencies:
    """Latency samples, in seconds."""

    samples: list[float]

    @property
    def p50_ms(self) -> float:
        return percentile(self.samples, 0.5) * 1000

    @property
    def p99_ms(self) -> float:
        return percentile(self.samples, 0.99) * 1000


def median(values: list[float]) -> float:
    return statistics.median(values)


def listed(counts: Counter[str]) -> str:
    """`counts` as text, the most frequent first ("3 timeout, 1 HTTP 500"), or "none"."""
    return ", ".join(f"{n:,} {what}" for what, n in counts.most_common()) or "none"
