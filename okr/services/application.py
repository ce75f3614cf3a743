"""The okr application: every command and every history read in one place."""

from __future__ import annotations

from okr.services.directory import DirectoryCommands
from okr.services.key_results import KeyResultCommands
from okr.services.objectives import ObjectiveCommands
from okr.services.tokens import TokenCommands


class OkrApplication(DirectoryCommands, ObjectiveCommands, KeyResultCommands, TokenCommands):
    """Commands load, act and save; history reads replay the event store."""
