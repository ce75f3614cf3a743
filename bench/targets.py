"""The goals from the benchmark issue, each tied to the row that measures it."""

from __future__ import annotations

from bench.attack import KINDS
from bench.report import Target

QUERIES = (
    "key_result_history",
    "team_objectives",
    "alignment_tree",
    "audit_page",
    "objective_as_of",
)

TARGETS = [
    Target(
        "check-ins, service, 32 clients: >= 4x bare recorder", "checkins.service.32", 4, "ratio"
    ),
    Target(
        "check-ins, service, 32 clients: >= 50% of raw INSERT",
        "checkins.service.32",
        0.5,
        versus="checkins.insert.32",
    ),
    Target("check-ins, service, 32 clients: >= 2,000/s", "checkins.service.32", 2000),
    Target("check-ins, HTTP, 32 clients: >= 1,000/s", "checkins.http.32", 1000),
    Target("rebuild: >= 20,000 events/s", "rebuild.views", 20000),
    Target("rebuild: >= 20x library ViewRunner", "rebuild.views", 20, versus="rebuild.library"),
    Target("rebuild: >= 30% of raw scan-and-decode", "rebuild.views", 0.3, versus="rebuild.scan"),
    *[
        Target(f"{name}: HTTP p99 < 15 ms", f"queries.{name}.http", 15, "p99_ms", below=True)
        for name in QUERIES
    ],
    *[
        Target(
            f"{name}: server-side at most 3x raw SQL (times raw)",
            f"queries.{name}.server",
            3,
            "times_baseline",
            below=True,
        )
        for name in QUERIES
    ],
    Target(
        "fan-out, 1,000 subscribers: delivery p99 < 250 ms",
        "fanout.delivery",
        250,
        "p99_ms",
        below=True,
    ),
    Target("fan-out: memory per idle subscriber < 50 KB", "fanout.memory", 50, below=True),
    Target("server RSS at idle < 300 MB", "memory.idle", 300, below=True),
    Target("server RSS after the query mix < 300 MB", "memory.after_queries", 300, below=True),
    Target("soak: no event lost", "soak.lost", 1, below=True),
    Target("soak: no event doubled or out of order", "soak.doubled", 1, below=True),
    Target("soak: acknowledged writes = stored writes", "soak.writes", 1, below=True),
    Target("soak: RSS grows < 10% after the first minute", "soak.rss_growth", 10, below=True),
    Target("soak: no event-loop pause over 100 ms", "soak.loop_pause", 100, below=True),
    Target("attack: normal query p99 < 5x quiet", "attack.p99_ratio", 5, below=True),
    Target("attack: normal query p99 < 100 ms", "attack.loaded", 100, "p99_ms", below=True),
    *[
        Target(f"attack, {what}: no 5xx, timeout or uncoded answer", f"attack.{key}", 1, below=True)
        for key, what in KINDS.items()
    ],
]
