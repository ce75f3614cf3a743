"""Sunshine, the demo organization: its id, people and teams, and the record of the ids written."""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import NAMESPACE_URL, UUID, uuid5

from okr.domain.commands import AddTeamMember, CreateTeam, RegisterPerson
from okr.services.application import OkrApplication
from okr.services.context import Context

DEMO_ORGANIZATION_ID = uuid5(NAMESPACE_URL, "okr-ledger:demo:sunshine")


@dataclass
class Demo:
    """The ids of what the demo wrote, for printing and for tests."""

    organization_id: UUID
    people: dict[str, UUID] = field(default_factory=dict)
    teams: dict[str, UUID] = field(default_factory=dict)
    objectives: dict[str, UUID] = field(default_factory=dict)
    key_results: dict[str, UUID] = field(default_factory=dict)
    kpis: dict[str, UUID] = field(default_factory=dict)
    corrected_check_in: UUID | None = None


def write_organization(app: OkrApplication) -> Demo:
    """Sunshine, its seven people and its four teams."""
    org = app.create_organization("system:demo", "Sunshine", organization_id=DEMO_ORGANIZATION_ID)
    demo = Demo(org.id)
    admin = Context(org.id, "system:demo")
    for name, email in [
        ("Ana Ruiz", "ana@sunshine.example"),
        ("Ben Okafor", "ben@sunshine.example"),
        ("Chloe Martin", "chloe@sunshine.example"),
        ("Dev Patel", "dev@sunshine.example"),
        ("Emma Larsen", "emma@sunshine.example"),
        ("Farid Haddad", "farid@sunshine.example"),
        ("Grace Kim", "grace@sunshine.example"),
    ]:
        demo.people[name.split()[0]] = app.handle(admin, RegisterPerson(name, email)).id
    p = demo.people
    for team, members in [
        ("Sales", ["Ana", "Ben", "Chloe"]),
        ("Engineering", ["Dev", "Emma"]),
        ("Design", ["Farid"]),
        ("Data", ["Grace"]),
    ]:
        demo.teams[team] = app.handle(admin, CreateTeam(team)).id
        for member in members:
            app.handle(admin, AddTeamMember(demo.teams[team], p[member]))
    return demo
