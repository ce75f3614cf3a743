"""Coaching advice: findings that nudge, never errors that refuse.

The rules read small facts about objectives and key results, which the read side takes from
the views and tests take from aggregates (`objective_facts`, `key_result_facts`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from okr.domain.key_result import KeyResult
from okr.domain.objective import Objective
from okr.domain.progress import is_stale, value_age
from okr.domain.values import (
    Metric,
    ObjectiveKind,
    ObjectiveLevel,
    ObjectiveStatus,
    PersonalObjectivePolicy,
)

MAX_KEY_RESULTS = 5
MAX_LED_PER_PERIOD = 3

_OUTPUT_WORDS = re.compile(
    r"\b(launch|launches|ship|release|hire|recruit|complete|finish|read \d+|attend|"
    r"build|implement|write|publish|organi[sz]e|create|deliver|run a|hold a)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Finding:
    """One piece of advice about one objective, key result or person (`subject_type`)."""

    code: str
    message: str
    subject_id: UUID
    subject_type: str = "Objective"


@dataclass(frozen=True)
class ObjectiveFacts:
    """What the rules know of an objective."""

    id: UUID
    status: ObjectiveStatus
    level: ObjectiveLevel
    kind: ObjectiveKind
    aligned: bool
    lead_id: UUID


@dataclass(frozen=True)
class KeyResultFacts:
    """What the rules know of a key result; `latest_effective_at` is when the value in force
    applies (None before any check-in)."""

    id: UUID
    title: str
    metric: Metric
    latest_effective_at: datetime | None
    created_at: datetime


def objective_facts(objective: Objective) -> ObjectiveFacts:
    """The facts of an objective aggregate."""
    return ObjectiveFacts(
        id=objective.id,
        status=objective.status,
        level=objective.level,
        kind=objective.kind,
        aligned=objective.aligned_to_objective_id is not None
        or objective.aligned_to_key_result_id is not None,
        lead_id=objective.lead_id,
    )


def key_result_facts(key_result: KeyResult) -> KeyResultFacts:
    """The facts of a key result aggregate."""
    current = key_result.current
    return KeyResultFacts(
        id=key_result.id,
        title=key_result.title,
        metric=key_result.metric,
        latest_effective_at=None if current is None else current.effective_at,
        created_at=key_result.created_on,
    )


def describes_output(title: str) -> bool:
    """True if a key result names work to do rather than an outcome to reach."""
    return _OUTPUT_WORDS.search(title) is not None


def advise_objective(
    objective: ObjectiveFacts,
    key_results: Sequence[KeyResultFacts],
    policy: PersonalObjectivePolicy,
    now: datetime,
    *,
    lead_active: bool,
) -> list[Finding]:
    """Findings for one objective and its key results, as of `now`; `lead_active` tells
    whether its lead is still an active person of the organization."""
    findings: list[Finding] = []
    if not lead_active and objective.status in (ObjectiveStatus.DRAFT, ObjectiveStatus.ACTIVE):
        findings.append(
            Finding(
                "LEAD_INACTIVE",
                "the lead has left the organization; choose a new lead",
                objective.id,
            )
        )
    count = len(key_results)
    if count == 0:
        findings.append(Finding("NO_KEY_RESULTS", "the objective has no key results", objective.id))
    elif count > MAX_KEY_RESULTS:
        findings.append(
            Finding(
                "TOO_MANY_KEY_RESULTS",
                f"{count} key results; keep to {MAX_KEY_RESULTS} or fewer",
                objective.id,
            )
        )
    if objective.level is ObjectiveLevel.PERSONAL and policy is PersonalObjectivePolicy.WARN:
        findings.append(
            Finding(
                "PERSONAL_OBJECTIVE",
                "personal objectives are for personal development; "
                "individual accountability belongs in KPIs and conversations",
                objective.id,
            )
        )
    if objective.kind is ObjectiveKind.EXECUTABLE and not objective.aligned:
        findings.append(
            Finding("UNALIGNED", "the executable objective is not aligned", objective.id)
        )
    for key_result in key_results:
        findings.extend(_advise_key_result(objective, key_result, now))
    return findings


def _advise_key_result(
    objective: ObjectiveFacts, key_result: KeyResultFacts, now: datetime
) -> list[Finding]:
    findings: list[Finding] = []
    if describes_output(key_result.title):
        findings.append(
            Finding(
                "OUTPUT_KEY_RESULT",
                "the key result describes an output; describe the outcome it should bring",
                key_result.id,
                "KeyResult",
            )
        )
    if key_result.metric is Metric.BINARY and objective.level is ObjectiveLevel.TEAM:
        findings.append(
            Finding(
                "BINARY_ON_TEAM_OBJECTIVE",
                "a binary key result on a team objective hides progress; measure a value",
                key_result.id,
                "KeyResult",
            )
        )
    age = value_age(key_result.latest_effective_at, key_result.created_at, now)
    if is_stale(objective.status, age):
        findings.append(
            Finding(
                "STALE_CHECK_IN",
                f"no check-in effective in the last {age.days} days",
                key_result.id,
                "KeyResult",
            )
        )
    return findings


def advise_period(objectives: Sequence[ObjectiveFacts]) -> list[Finding]:
    """Findings across a period: people leading more than three objectives."""
    live = [o for o in objectives if o.status is not ObjectiveStatus.ARCHIVED]
    led = Counter(o.lead_id for o in live)
    return [
        Finding(
            "LEAD_OVERLOAD",
            f"leads {count} objectives in the period; more than {MAX_LED_PER_PERIOD} "
            "is administrative overload",
            person_id,
            "Person",
        )
        for person_id, count in sorted(led.items(), key=lambda item: str(item[0]))
        if count > MAX_LED_PER_PERIOD
    ]
