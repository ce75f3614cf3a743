"""`okr check`'s rules engine on the in-memory store: an accepted and a refused story per rule."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

from eventsourcing.persistence import StoredEvent

from okr.audit.check import RuleChecker
from okr.audit.findings import Violation
from okr.audit.log import read_log
from okr.demo import load_demo
from okr.domain.key_result import KeyResult
from okr.domain.objective import Objective
from okr.domain.period import Period
from okr.domain.values import Metric, ObjectiveKind, ObjectiveLevel, PersonalObjectivePolicy
from okr.services.application import OkrApplication
from tests.audit_story import ACTOR, Story, align


def violations(app: OkrApplication) -> list[Violation]:
    """Every violation in the log, read in small batches."""
    checker = RuleChecker()
    return [
        v for batch in read_log(app, batch_size=7) for p, e in batch for v in checker.feed(p, e)
    ]


def found(app: OkrApplication) -> list[tuple[int, str]]:
    return [(v.position, v.rule) for v in violations(app)]


def test_an_alignment_that_closes_a_loop_is_a_cycle(memory_app: OkrApplication) -> None:
    story = Story.build(memory_app)
    a, a_kr = story.active()
    b, b_kr = story.active()
    c, _ = story.active()
    align(a, key_result=b_kr.id)
    story.save(a)
    a.trigger_event(Objective.Unaligned, actor=ACTOR, reason="the other way round")
    align(b, key_result=a_kr.id)
    story.save(a, b)
    assert violations(memory_app) == []

    align(a, key_result=b_kr.id)
    cycle = story.save(a)
    align(c, key_result=a_kr.id)
    align(a, key_result=a_kr.id)
    own = story.save(c, a)

    [first, second] = violations(memory_app)
    assert (first.position, first.rule, first.ids) == (cycle, "ALIGNMENT_CYCLE", (a.id, b_kr.id))
    assert (second.position, second.rule, second.ids) == (own, "ALIGNMENT_CYCLE", (a.id, a_kr.id))


def test_changes_in_a_closed_period_break_it_but_grading_does_not(
    memory_app: OkrApplication,
) -> None:
    story = Story.build(memory_app)
    objective, key_result = story.active()
    story.quarter.close(ACTOR)
    story.save(story.quarter)
    objective.close(ACTOR, 0.7, "good quarter")
    story.save(objective)
    assert violations(memory_app) == []

    objective.reopen(ACTOR, "one more value")
    reopened = story.save(objective)
    late = story.check_in(key_result)

    assert found(memory_app) == [(reopened, "PERIOD_CLOSED"), (late, "PERIOD_CLOSED")]
    assert violations(memory_app)[1].ids == (key_result.id, objective.id, story.quarter.id)


def test_a_closed_objective_is_locked_until_reopened(memory_app: OkrApplication) -> None:
    story = Story.build(memory_app)
    objective, key_result = story.active()
    objective.close(ACTOR, 0.5, "")
    story.save(objective)
    late = story.check_in(key_result)
    objective.trigger_event(
        Objective.LeadChanged,
        actor=ACTOR,
        lead_id=story.bo.id,
        previous_lead_id=story.ann.id,
        reason="x",
    )
    changed = story.save(objective)
    assert found(memory_app) == [(late, "OBJECTIVE_LOCKED"), (changed, "OBJECTIVE_LOCKED")]

    objective.archive(ACTOR)
    objective.reopen(ACTOR, "not done yet")
    story.save(objective)
    story.check_in(key_result)
    assert len(violations(memory_app)) == 2


def test_a_check_in_on_a_draft_objective(memory_app: OkrApplication) -> None:
    story = Story.build(memory_app)
    objective = story.objective()
    key_result = story.key_result(objective)
    story.save(objective, key_result)

    early = story.check_in(key_result)
    objective.activate(ACTOR)
    story.save(objective)
    story.check_in(key_result)

    [violation] = violations(memory_app)
    assert (violation.position, violation.rule) == (early, "INVALID_STATE")
    assert violation.ids == (key_result.id, objective.id)
    assert violation.message == "the objective is a draft; activate it before checking in"


def test_a_lead_who_left_or_belongs_elsewhere_is_invalid(memory_app: OkrApplication) -> None:
    story = Story.build(memory_app)
    globex = Story.build(memory_app, "Globex")
    led_by_bo = story.objective(lead=story.bo)
    story.bo.leave(ACTOR, "moved on")
    story.save(story.bo)
    created = story.save(led_by_bo)
    objective, _ = story.active()
    objective.trigger_event(
        Objective.LeadChanged,
        actor=ACTOR,
        lead_id=globex.ann.id,
        previous_lead_id=story.ann.id,
        reason="a stranger",
    )
    foreign = story.save(objective)
    story.bo.rejoin(ACTOR)
    objective.change_lead(ACTOR, story.bo, "Bo is back")
    story.save(story.bo, objective)

    assert found(memory_app) == [(created, "INVALID_LEAD"), (foreign, "INVALID_LEAD")]
    first = violations(memory_app)[0]
    assert first.ids == (led_by_bo.id, story.bo.id)
    assert first.message == "the lead must be an active person of the organization"


def test_references_across_organizations_are_mismatches(memory_app: OkrApplication) -> None:
    story = Story.build(memory_app)
    globex = Story.build(memory_app, "Globex")
    theirs, _ = globex.active(directional=True)
    ours, _ = story.active()
    ours.add_contributor(ACTOR, story.bo)
    story.save(ours)
    assert violations(memory_app) == []

    intruder = KeyResult.create(
        ACTOR, theirs.id, story.org.id, title="Borrowed", metric=Metric.BINARY, start=0, target=1
    )
    borrowed = story.save(intruder)
    ours.trigger_event(Objective.ContributorAdded, actor=ACTOR, person_id=globex.bo.id)
    stranger = story.save(ours)

    assert found(memory_app) == [
        (borrowed, "ORGANIZATION_MISMATCH"),
        (stranger, "ORGANIZATION_MISMATCH"),
    ]
    assert violations(memory_app)[0].ids == (intruder.id, theirs.id)
    assert violations(memory_app)[1].ids == (ours.id, globex.bo.id)


def test_a_period_name_is_unique_within_its_organization(memory_app: OkrApplication) -> None:
    story = Story.build(memory_app)
    Story.build(memory_app, "Globex")
    story.save(Period.create(story.org.id, ACTOR, "2027-Q1", date(2027, 1, 1), date(2027, 3, 31)))
    assert violations(memory_app) == []

    again = Period._create(
        Period.Created,
        id=uuid4(),
        organization_id=story.org.id,
        actor=ACTOR,
        name=" 2026-q4 ",
        starts_on=date(2026, 10, 1),
        ends_on=date(2026, 12, 31),
    )
    position = story.save(again)

    [violation] = violations(memory_app)
    assert (violation.position, violation.rule) == (position, "DUPLICATE_PERIOD_NAME")
    assert violation.ids == (again.id, story.quarter.id)
    assert violation.message.startswith("period name ' 2026-q4 ' is already used by period")


def test_alignment_goes_to_a_directional_objective_or_a_key_result(
    memory_app: OkrApplication,
) -> None:
    story = Story.build(memory_app)
    direction, _ = story.active(directional=True)
    sibling, sibling_kr = story.active()
    ours, _ = story.active()
    align(ours, parent=direction.id)
    align(ours, key_result=sibling_kr.id)
    story.save(ours)
    assert violations(memory_app) == []

    align(ours, parent=sibling.id)
    to_executable = story.save(ours)
    align(direction, key_result=sibling_kr.id)
    from_directional = story.save(direction)
    sibling.archive(ACTOR)
    align(ours, key_result=sibling_kr.id)
    story.save(sibling)
    to_archived = story.save(ours)

    assert [(v.position, v.rule, v.message) for v in violations(memory_app)] == [
        (
            to_executable,
            "INVALID_ALIGNMENT",
            "an objective aligns to a directional objective or to a key result",
        ),
        (from_directional, "INVALID_ALIGNMENT", "only an executable objective can be aligned"),
        (to_archived, "INVALID_ALIGNMENT", "an objective cannot align to an archived one"),
    ]


def test_an_alignment_names_one_parent_that_exists(memory_app: OkrApplication) -> None:
    story = Story.build(memory_app)
    direction, direction_kr = story.active(directional=True)
    ours, _ = story.active()
    align(ours, key_result=direction_kr.id)
    story.save(ours)
    assert violations(memory_app) == []

    nowhere = uuid4()
    align(ours, key_result=nowhere)
    missing = story.save(ours)
    align(ours, parent=direction.id, key_result=direction_kr.id)
    both = story.save(ours)

    [not_found, two] = violations(memory_app)
    assert (not_found.position, not_found.rule, not_found.ids) == (
        missing,
        "NOT_FOUND",
        (ours.id, nowhere),
    )
    assert not_found.message == f"KeyResult '{nowhere}' not found"
    assert (two.position, two.rule) == (both, "INVALID_INPUT")


def test_an_alignment_stays_within_its_organization(memory_app: OkrApplication) -> None:
    story = Story.build(memory_app)
    globex = Story.build(memory_app, "Globex")
    _, their_kr = globex.active(directional=True)
    ours, _ = story.active()
    assert violations(memory_app) == []

    align(ours, key_result=their_kr.id)
    position = story.save(ours)

    [violation] = violations(memory_app)
    assert (violation.position, violation.rule) == (position, "INVALID_ALIGNMENT")
    assert violation.ids == (ours.id, their_kr.id)
    assert violation.message == "alignment stays within one organization"


def test_a_parent_of_a_later_period_is_no_target(memory_app: OkrApplication) -> None:
    story = Story.build(memory_app)
    later = Period.create(story.org.id, ACTOR, "2027", date(2027, 1, 1), date(2027, 12, 31))
    story.save(later)
    this_year, _ = story.active(directional=True)
    ours, _ = story.active()
    align(ours, parent=this_year.id)
    story.save(ours)
    next_year = Objective.create(
        ACTOR,
        story.org,
        later,
        story.ann,
        title="Lead the market",
        kind=ObjectiveKind.DIRECTIONAL,
        level=ObjectiveLevel.COMPANY,
    )
    story.save(next_year)
    assert violations(memory_app) == []

    align(ours, parent=next_year.id)
    position = story.save(ours)

    [violation] = violations(memory_app)
    assert (violation.position, violation.rule) == (position, "INVALID_ALIGNMENT")
    assert violation.message == "the parent's period '2027' does not cover '2026-Q4'"


def test_lifecycle_steps_follow_the_lifecycle(memory_app: OkrApplication) -> None:
    story = Story.build(memory_app)
    objective, _ = story.active()
    objective.close(ACTOR, 1.0, "")
    objective.reopen(ACTOR, "again")
    objective.archive(ACTOR)
    story.save(objective)
    assert violations(memory_app) == []

    objective.trigger_event(Objective.Activated, actor=ACTOR)
    position = story.save(objective)

    [violation] = violations(memory_app)
    assert (violation.position, violation.rule) == (position, "INVALID_STATE")
    assert violation.message == "only a draft objective can be activated"


def test_a_personal_objective_under_a_disallowing_policy(memory_app: OkrApplication) -> None:
    story = Story.build(memory_app)
    story.save(story.objective(level=ObjectiveLevel.PERSONAL))
    assert violations(memory_app) == []

    personal = story.objective(level=ObjectiveLevel.PERSONAL)
    story.org.change_policy(ACTOR, PersonalObjectivePolicy.DISALLOW)
    story.save(story.org)
    position = story.save(personal)

    [violation] = violations(memory_app)
    assert (violation.position, violation.rule) == (position, "POLICY_VIOLATION")
    assert violation.message == "the organization does not allow personal objectives"


def test_an_objective_spans_a_period_of_its_kind(memory_app: OkrApplication) -> None:
    story = Story.build(memory_app)
    story.active(directional=True)
    assert violations(memory_app) == []

    on_a_quarter = Objective._create(
        Objective.Created,
        id=uuid4(),
        organization_id=story.org.id,
        actor=ACTOR,
        title="Be the most reliable platform",
        description="",
        kind=ObjectiveKind.DIRECTIONAL.value,
        level=ObjectiveLevel.COMPANY.value,
        period_id=story.quarter.id,
        team_ids=[],
        lead_id=story.ann.id,
    )
    position = story.save(on_a_quarter)

    [violation] = violations(memory_app)
    assert (violation.position, violation.rule) == (position, "INVALID_PERIOD_SPAN")
    assert violation.ids == (on_a_quarter.id, story.quarter.id)
    assert violation.message == "a directional objective spans a year at least"


def test_an_unreadable_event_is_reported_and_the_rest_checked(memory_app: OkrApplication) -> None:
    story = Story.build(memory_app)
    stranger = uuid4()
    memory_app.recorder.insert_events(
        [StoredEvent(stranger, 1, "okr.domain.gone:Gone.Created", b"{}")]
    )
    objective = story.objective()
    key_result = story.key_result(objective)
    story.save(objective, key_result)
    late = story.check_in(key_result)
    objective.version += 1
    memory_app.recorder.insert_events(
        [StoredEvent(objective.id, objective.version, "okr.domain.gone:Gone.Noted", b"{}")]
    )
    objective.activate(ACTOR)
    story.save(objective)
    story.check_in(key_result)

    [unreadable, draft, gap] = violations(memory_app)
    assert (unreadable.rule, unreadable.ids) == ("UNREADABLE_EVENT", (stranger,))
    assert (draft.position, draft.rule) == (late, "INVALID_STATE")
    assert (gap.rule, gap.ids) == ("UNREADABLE_EVENT", (objective.id,))


def test_an_event_its_aggregate_cannot_take(memory_app: OkrApplication) -> None:
    story = Story.build(memory_app)
    objective, _ = story.active()
    objective.add_contributor(ACTOR, story.bo)
    objective.remove_contributor(ACTOR, story.bo.id)
    story.save(objective)
    assert violations(memory_app) == []

    objective.contributor_ids.append(story.bo.id)
    objective.remove_contributor(ACTOR, story.bo.id)
    position = story.save(objective)

    [violation] = violations(memory_app)
    assert (violation.position, violation.rule) == (position, "INAPPLICABLE_EVENT")
    assert violation.ids == (objective.id,)


def test_the_demo_breaks_no_rule(memory_app: OkrApplication) -> None:
    load_demo(memory_app)
    checker = RuleChecker()

    broken = [v for batch in read_log(memory_app) for p, e in batch for v in checker.feed(p, e)]

    assert broken == []
    assert checker.checked == memory_app.recorder.max_notification_id()
