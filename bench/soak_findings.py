"""What a soak found: each server process's life, the faults, and the rows they make."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from bench.followers import Deliveries, Follower
from bench.metrics import Metrics
from bench.probe import Probe
from bench.server import Server
from bench.stats import Latencies, Row, listed
from bench.writers import Ledger, Write, Writers

SECTION = "Soak and faults"
FIRST_MINUTE = 60.0
STEADY_SECONDS_MIN = 30.0
PAUSE_LIMIT_SECONDS = 0.1


@dataclass
class Life:
    """One server process's part of the soak, with its RSS samples (time, MiB) and its
    metrics when it ended."""

    server: Server
    began: float
    ended: float = 0.0
    rss: list[tuple[float, float]] = field(default_factory=list)
    metrics: Metrics | None = None

    def rss_at(self, seconds: float) -> float:
        """RSS in the first sample `seconds` or more into the life, else the last."""
        later = [mib for at, mib in self.rss if at >= self.began + seconds]
        return later[0] if later else self.rss[-1][1]

    @property
    def growth(self) -> float | None:
        """RSS growth, in percent, from its first minute to its peak after; None if the life
        went on too short a time after its first minute to tell."""
        steady = [(at, mib) for at, mib in self.rss if at >= self.began + FIRST_MINUTE]
        if not steady or steady[-1][0] - steady[0][0] < STEADY_SECONDS_MIN:
            return None
        return (max(mib for _, mib in steady) / steady[0][1] - 1) * 100

    @property
    def loop_pause_ms(self) -> float | None:
        lag = None if self.metrics is None else self.metrics.loop_lag_max_seconds
        return None if lag is None else lag * 1000

    def describe(self) -> str:
        growth = "-" if self.growth is None else f"{self.growth:+.1f}%"
        pause = "unpublished" if self.loop_pause_ms is None else f"{self.loop_pause_ms:.0f} ms"
        over = None if self.metrics is None else self.metrics.loop_pauses_over(PAUSE_LIMIT_SECONDS)
        return (
            f"{self.ended - self.began:.0f} s; RSS {self.rss[0][1]:.0f} MiB at start, "
            f"{self.rss_at(FIRST_MINUTE):.0f} at 1 min, peak {max(m for _, m in self.rss):.0f}, "
            f"{self.rss[-1][1]:.0f} at end (growth after 1 min {growth}); longest event-loop "
            f"pause {pause}, lag samples over {PAUSE_LIMIT_SECONDS * 1000:.0f} ms: "
            f"{'unpublished' if over is None else over}"
        )


@dataclass
class Faults:
    """When each fault came (`time.perf_counter()`), and what it did."""

    terminated_at: float = 0.0
    terminated: int = 0
    killed_at: float = 0.0
    ready_at: float = 0.0


def delivery_rows(followers: list[Follower], found: Deliveries) -> list[Row]:
    endings = sum((f.endings for f in followers), Counter[str]())
    return [
        Row(
            "soak.lost",
            SECTION,
            f"events lost, {len(followers):,} subscribers",
            "events",
            found.lost,
            note=f"{found.expected // len(followers):,} events each (every event stored after "
            "the soak's first cursor that an integration token's subscription shows), "
            f"{found.delivered:,} deliveries; subscriptions resumed after: {listed(endings)}",
        ),
        Row(
            "soak.doubled",
            SECTION,
            "events delivered twice, out of order, or never stored",
            "events",
            found.doubled + found.disordered + found.unexpected,
            note=f"{found.doubled} twice, {found.disordered} out of order, "
            f"{found.unexpected} not among the stored events",
        ),
    ]


def write_rows(writers: Writers, ledger: Ledger, faults: Faults) -> list[Row]:
    acknowledged = writers.acknowledged()
    latencies = Latencies(
        [w.acknowledged_at - w.sent_at for w in acknowledged if w.acknowledged_at]
    )
    return [
        Row(
            "soak.writes",
            SECTION,
            "writes acknowledged but not stored, stored twice, or stored unsent",
            "writes",
            ledger.wrong,
            note=f"{ledger.sent:,} check-ins sent by {writers.count} writers "
            f"({writers.per_second:g}/s together), {ledger.acknowledged:,} acknowledged, "
            f"{ledger.stored:,} stored: {ledger.lost} lost, {ledger.doubled} doubled, "
            f"{ledger.unsent} unsent; {ledger.stored_unacknowledged} stored without an "
            f"acknowledgement, {ledger.unanswered} never answered, refused: "
            f"{listed(ledger.refused)}; sent again with the same idempotency key after: "
            f"{listed(writers.retries)}",
        ),
        Row(
            "soak.write_latency",
            SECTION,
            "recordCheckIn, first send to acknowledgement",
            "ms",
            latencies.p50_ms,
            latencies.p50_ms,
            latencies.p99_ms,
            note=f"max {max(latencies.samples):,.1f} s; the first write sent after the "
            "connections were terminated was acknowledged "
            f"{recovery(acknowledged, faults.terminated_at):.2f} s after them, the first sent "
            f"after the SIGKILL {recovery(acknowledged, faults.killed_at):.1f} s after it",
        ),
    ]


def recovery(acknowledged: list[Write], fault: float) -> float:
    """Seconds from `fault` to the acknowledgement of the first write sent after it."""
    first = min((w for w in acknowledged if w.sent_at >= fault), key=lambda w: w.sent_at)
    assert first.acknowledged_at is not None
    return first.acknowledged_at - fault


def server_rows(lives: list[Life], probe: Probe, faults: Faults, interval: float) -> list[Row]:
    queries = Latencies(probe.latencies)
    began = lives[0].began
    found = [
        Row(
            "soak.query",
            SECTION,
            f"a normal query every {interval * 1000:.0f} ms through the soak",
            "ms",
            queries.p50_ms,
            queries.p50_ms,
            queries.p99_ms,
            note=f"{len(queries.samples):,} answered, max {max(queries.samples) * 1000:,.0f} ms; "
            f"not answered (during the faults): {listed(probe.failures)}",
        ),
        Row(
            "soak.restart",
            SECTION,
            "server ready again after SIGKILL",
            "s",
            faults.ready_at - faults.killed_at,
            note=f"{faults.terminated} database connections of the server terminated at "
            f"{faults.terminated_at - began:.0f} s, SIGKILL at {faults.killed_at - began:.0f} s; "
            + "; ".join(f"server {n}: {life.describe()}" for n, life in enumerate(lives, 1)),
        ),
    ]
    growths = [life.growth for life in lives if life.growth is not None]
    if growths:
        found.append(
            Row(
                "soak.rss_growth",
                SECTION,
                "server RSS growth after its first minute, to its peak",
                "%",
                max(growths),
                note=f"the most of any server process that ran {STEADY_SECONDS_MIN:.0f} s or "
                "more past its first minute; each is in the note on the restart",
            )
        )
    pauses = [life.loop_pause_ms for life in lives]
    if pauses and None not in pauses:
        found.append(
            Row(
                "soak.loop_pause",
                SECTION,
                "longest event-loop pause in the server",
                "ms",
                max(p or 0.0 for p in pauses),
                note="okr_event_loop_lag_max_seconds, the most of any server process",
            )
        )
    return found
