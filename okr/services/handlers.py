"""Which function handles each command."""

from __future__ import annotations

from collections.abc import Mapping

from okr.domain import commands as c
from okr.services import directory, key_results, objectives, tokens
from okr.services.command_application import Handler

HANDLERS: Mapping[type[c.Command], Handler] = {
    c.ChangePersonalObjectivePolicy: directory.change_personal_objective_policy,
    c.RegisterPerson: directory.register_person,
    c.DeactivatePerson: directory.deactivate_person,
    c.ReactivatePerson: directory.reactivate_person,
    c.CreateTeam: directory.create_team,
    c.AddTeamMember: directory.add_team_member,
    c.RemoveTeamMember: directory.remove_team_member,
    c.CreatePeriod: directory.create_period,
    c.ClosePeriod: directory.close_period,
    c.ReopenPeriod: directory.reopen_period,
    c.IssueApiToken: tokens.issue_api_token,
    c.RevokeApiToken: tokens.revoke_api_token,
    c.CreateObjective: objectives.create_objective,
    c.ChangeObjectiveLead: objectives.change_lead,
    c.AddContributor: objectives.add_contributor,
    c.RemoveContributor: objectives.remove_contributor,
    c.AlignObjective: objectives.align_objective,
    c.UnalignObjective: objectives.unalign_objective,
    c.AddInitiative: objectives.add_initiative,
    c.SetInitiativeStatus: objectives.set_initiative_status,
    c.ActivateObjective: objectives.activate_objective,
    c.CloseObjective: objectives.close_objective,
    c.ReopenObjective: objectives.reopen_objective,
    c.ArchiveObjective: objectives.archive_objective,
    c.AddKeyResult: key_results.add_key_result,
    c.ReviseKeyResultTarget: key_results.revise_target,
    c.RecordCheckIn: key_results.record_check_in,
    c.CorrectCheckIn: key_results.correct_check_in,
    c.CreateKpi: key_results.create_kpi,
    c.RecordKpiCheckIn: key_results.record_kpi_check_in,
    c.GiveRecognition: key_results.give_recognition,
}
