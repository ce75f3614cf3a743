"""A synthetic organization, written through the application's own command bodies.

Each command runs its real body (the same rules and events as over the API), but many
commands share one unit of work and are saved together, so a million events take minutes.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

from okr.demo.quarter import DemoClock
from okr.domain.clock import using_clock
from okr.domain.commands import (
    ActivateObjective,
    AddKeyResult,
    AddTeamMember,
    AlignObjective,
    Command,
    CreateObjective,
    CreatePeriod,
    CreateTeam,
    RecordCheckIn,
    RegisterPerson,
)
from okr.domain.values import Metric, ObjectiveKind, ObjectiveLevel
from okr.services.application import OkrApplication
from okr.services.context import Context
from okr.services.unit_of_work import UnitOfWork

ACTOR = "system:bench"
FIRST_YEAR = 2024


@dataclass(frozen=True)
class Size:
    """How big the organization is; the defaults give about 63k events per quarter."""

    teams: int = 200
    people: int = 2000
    directional: int = 50
    objectives: int = 1000
    key_results: int = 4
    weeks: int = 13
    quarters: int = 1

    @property
    def events_per_quarter(self) -> int:
        key_results = self.objectives * self.key_results
        yearly = (1 + 2 * self.directional) / 4
        return round(1 + yearly + 3 * self.objectives + key_results * (2 + self.weeks))

    def for_events(self, events: int) -> Size:
        """The same organization with enough quarters for about `events` events."""
        directory = 1 + self.people * 2 + self.teams
        quarters = max(1, round((events - directory) / self.events_per_quarter))
        return Size(**(asdict(self) | {"quarters": quarters}))


@dataclass
class Quarter:
    period_id: str
    starts_on: str
    directional: list[str] = field(default_factory=list)
    objectives: list[str] = field(default_factory=list)
    key_results: list[str] = field(default_factory=list)


@dataclass
class Dataset:
    """What the generator wrote: ids the measurements pick from, and the event count."""

    organization_id: str
    teams: list[str]
    people: list[str]
    quarters: list[Quarter]
    events: int = 0

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(asdict(self)))

    @classmethod
    def load(cls, path: Path) -> Dataset:
        raw: dict[str, Any] = json.loads(path.read_text())
        quarters = [Quarter(**q) for q in raw.pop("quarters")]
        return cls(quarters=quarters, **raw)

    @property
    def last(self) -> Quarter:
        return self.quarters[-1]


class Batch:
    """Runs command bodies on one unit of work and saves every `size` commands."""

    def __init__(self, app: OkrApplication, context: Context, size: int = 1000) -> None:
        self.app = app
        self.uow = UnitOfWork(app.repository, context, fresh=True)
        self.size = size
        self.pending = 0
        self.position = 0

    def __call__(self, command: Command) -> str:
        result = self.app.handlers[type(command)](command, self.uow)
        self.pending += 1
        if self.pending >= self.size:
            self.flush()
        return str(result)

    def flush(self) -> None:
        changed = self.uow.changed
        if changed:
            recordings = self.app.save(*changed, read_set=self.uow.read_set)
            self.uow.saved()
            self.position = recordings[-1].notification.id
        self.pending = 0

    def forget(self) -> None:
        """Save, and drop the aggregates loaded so far (each quarter starts afresh)."""
        self.flush()
        self.uow = UnitOfWork(self.app.repository, self.uow.context, fresh=True)


def quarter_start(index: int) -> date:
    return date(FIRST_YEAR + index // 4, 3 * (index % 4) + 1, 1)


def generate(
    app: OkrApplication, size: Size, progress: Callable[[int], None] = lambda _: None
) -> Dataset:
    """Write the organization, then each quarter's objectives, key results and check-ins."""
    clock = DemoClock(datetime.combine(quarter_start(0), datetime.min.time(), UTC))
    with using_clock(clock):
        organization = app.create_organization(ACTOR, "Bench Co")
        context = Context(organization.id, ACTOR)
        batch = Batch(app, context)
        people = [batch(RegisterPerson(f"Person {n}")) for n in range(size.people)]
        teams = [batch(CreateTeam(f"Team {n}")) for n in range(size.teams)]
        for n, person in enumerate(people):
            batch(AddTeamMember(UUID(teams[n % size.teams]), UUID(person)))
        batch.flush()
        dataset = Dataset(str(organization.id), teams, people, [])
        for index in range(size.quarters):
            dataset.quarters.append(_quarter(batch, clock, dataset, size, index))
            batch.forget()
            progress(batch.position)
    dataset.events = batch.position
    return dataset


def _quarter(batch: Batch, clock: DemoClock, dataset: Dataset, size: Size, index: int) -> Quarter:
    starts = quarter_start(index)
    ends = quarter_start(index + 1) - timedelta(days=1)
    clock.move_to(datetime.combine(starts, datetime.min.time(), UTC) - timedelta(days=3))
    if index % 4 == 0:
        year = batch(CreatePeriod(str(starts.year), starts, date(starts.year, 12, 31)))
        directional = [
            _objective(batch, year, f"Direction {n}", ObjectiveKind.DIRECTIONAL, dataset, n)
            for n in range(size.directional)
        ]
    else:
        directional = dataset.last.directional
    period = batch(CreatePeriod(f"{starts.year}-Q{index % 4 + 1}", starts, ends))
    quarter = Quarter(period, starts.isoformat(), directional)
    for n in range(size.objectives):
        objective = _objective(batch, period, f"Outcome {n}", ObjectiveKind.EXECUTABLE, dataset, n)
        batch(
            AlignObjective(
                UUID(objective),
                parent_objective_id=UUID(quarter.directional[n % size.directional]),
            )
        )
        quarter.objectives.append(objective)
        for k in range(size.key_results):
            quarter.key_results.append(
                batch(
                    AddKeyResult(
                        UUID(objective),
                        title=f"Measure {k} of outcome {n}",
                        metric=Metric.INCREASE_TO,
                        start=0.0,
                        target=100.0,
                    )
                )
            )
    for week in range(1, size.weeks + 1):
        moment = datetime.combine(starts + timedelta(days=7 * week - 3), datetime.min.time(), UTC)
        clock.move_to(moment)
        for n, key_result in enumerate(quarter.key_results):
            batch(
                RecordCheckIn(
                    UUID(key_result),
                    value=float(week * 7 + n % 5),
                    confidence=5 + n % 4,
                    effective_at=moment,
                    note=f"week {week}",
                )
            )
    return quarter


def _objective(
    batch: Batch, period_id: str, title: str, kind: ObjectiveKind, dataset: Dataset, n: int
) -> str:
    team = dataset.teams[n % len(dataset.teams)]
    lead = dataset.people[n % len(dataset.teams)]
    objective = batch(
        CreateObjective(
            title=title,
            kind=kind,
            level=ObjectiveLevel.TEAM,
            period_id=UUID(period_id),
            lead_id=UUID(lead),
            team_ids=(UUID(team),),
        )
    )
    batch(ActivateObjective(UUID(objective)))
    return objective


def chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
