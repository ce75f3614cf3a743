"""The recognition view: notes of recognition and feedback to people."""

from __future__ import annotations

from functools import singledispatchmethod

from okr.domain.recognition import Recognition
from okr.views.base import View, ident, iso, row_by_id
from okr.views.database import Row, SqlConnection


class Recognitions(View):
    name = "recognitions"
    version = 1
    reads = ()
    tables = {
        "recognitions": "id TEXT PRIMARY KEY, organization_id TEXT NOT NULL, "
        "person_id TEXT NOT NULL, objective_id TEXT, key_result_id TEXT, kind TEXT NOT NULL, "
        "message TEXT NOT NULL, given_by TEXT NOT NULL, given_at TEXT NOT NULL",
    }
    indexes = {"recognitions_person": "recognitions (person_id, given_at)"}

    @singledispatchmethod
    async def process(self, event: object, conn: SqlConnection, position: int) -> None:
        """Events this view does not read are passed over."""

    @process.register
    async def _(self, event: Recognition.Given, conn: SqlConnection, position: int) -> None:
        await conn.execute(
            f"INSERT INTO {self.p}recognitions VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            str(event.originator_id),
            str(event.organization_id),
            str(event.person_id),
            ident(event.objective_id),
            ident(event.key_result_id),
            event.kind,
            event.message,
            event.actor,
            iso(event.timestamp),
        )


async def recognition_by_id(
    conn: SqlConnection, organization_id: str, recognition_id: str
) -> Row | None:
    """One recognition given in the organization, or None."""
    return await row_by_id(conn, "recognitions", organization_id, recognition_id)
