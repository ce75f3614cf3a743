"""Coaching advice: findings that nudge, never errors that refuse."""

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


def describes_output(title: str) -> bool:
    """True if a key result names work to do rather than an outcome to reach."""
    return _OUTPUT_WORDS.search(title) is not None


def advise_objective(
    objective: Objective,
    key_results: Sequence[KeyResult],
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
    if (
        objective.kind is ObjectiveKind.EXECUTABLE
        and objective.aligned_to_objective_id is None
        and objective.aligned_to_key_result_id is None
    ):
        findings.append(
            Finding("UNALIGNED", "the executable objective is not aligned", objective.id)
        )
    for key_result in key_results:
        findings.extend(_advise_key_result(objective, key_result, now))
    return findings


def _advise_key_result(objective: Objective, key_result: KeyResult, now: datetime) -> list[Finding]:
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
    current = key_result.current
    latest = None if current is None else current.effective_at
    age = value_age(latest, key_result.created_on, now)
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


def advise_period(objectives: Sequence[Objective]) -> list[Finding]:
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
