"""The objectives view: its tables and handlers (`view`), and its queries: rows, the people
working on objectives, and the alignment walks."""

from okr.domain.alignment import MAX_ALIGNMENT_DEPTH
from okr.views.objectives.alignment import (
    ancestors_of_objectives,
    objective_ancestors,
    objective_descendants,
)
from okr.views.objectives.people import (
    Collaboration,
    ObjectiveSummary,
    collaboration,
    collaborations_of_objectives,
    contributors_of_objectives,
    objective_summary,
    teams_of_objectives,
)
from okr.views.objectives.rows import (
    ObjectiveCriteria,
    children_of_objectives,
    every_objective,
    initiative_by_id,
    initiatives_of_objectives,
    objective_by_id,
    objective_ids_created_by,
    objectives_by_ids,
    objectives_of_period,
    objectives_of_team,
    objectives_page,
    schedules_of_objectives,
)
from okr.views.objectives.view import Objectives

__all__ = [
    "MAX_ALIGNMENT_DEPTH",
    "Collaboration",
    "ObjectiveCriteria",
    "ObjectiveSummary",
    "Objectives",
    "ancestors_of_objectives",
    "children_of_objectives",
    "collaboration",
    "collaborations_of_objectives",
    "contributors_of_objectives",
    "every_objective",
    "initiative_by_id",
    "initiatives_of_objectives",
    "objective_ancestors",
    "objective_by_id",
    "objective_descendants",
    "objective_ids_created_by",
    "objective_summary",
    "objectives_by_ids",
    "objectives_of_period",
    "objectives_of_team",
    "objectives_page",
    "schedules_of_objectives",
    "teams_of_objectives",
]
