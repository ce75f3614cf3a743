"""The benchmark's generator writes through the command handlers, many commands to a save,
and what it writes keeps every rule."""

from __future__ import annotations

from bench.generator import Size, generate
from okr.audit.check import RuleChecker
from okr.audit.log import read_log
from okr.services.application import OkrApplication


def test_a_generated_quarter_saves_in_several_batches_and_breaks_no_rule(
    store_app: OkrApplication,
) -> None:
    size = Size(teams=3, people=9, directional=2, objectives=300, key_results=2, weeks=2)

    dataset = generate(store_app, size)

    assert dataset.events == store_app.recorder.max_notification_id()
    assert len(dataset.quarters[0].key_results) == 600
    checker = RuleChecker()
    violations = [v for batch in read_log(store_app) for n, e in batch for v in checker.feed(n, e)]
    assert violations == []
