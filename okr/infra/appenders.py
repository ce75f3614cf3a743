"""Conditional appends for each event store: the read-set check and the insert in one
transaction, under the lock that orders the log (see okr.services.append_condition)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import ApplicationRecorder
from eventsourcing.popo import POPOApplicationRecorder
from eventsourcing.postgres import PostgresAggregateRecorder, PostgresApplicationRecorder
from eventsourcing.sqlite import SQLiteApplicationRecorder
from psycopg import Connection, Pipeline
from psycopg.sql import SQL, Identifier

from okr.services.append_condition import (
    AppendRequest,
    ConditionalAppend,
    Outcome,
    accepted_events,
    read_ids,
    split_positions,
    stale_reads,
)


class PostgresAppend:
    """Under the events table's EXCLUSIVE lock: one indexed lookup of the read set's latest
    versions, then the insert of the accepted requests' events."""

    def __init__(self, recorder: PostgresApplicationRecorder) -> None:
        self._recorder = recorder
        self._versions = SQL(
            "SELECT r.id, (SELECT max(e.originator_version) FROM {schema}.{table} e "
            "WHERE e.originator_id = r.id) AS version FROM unnest(%s::uuid[]) AS r(id)"
        ).format(
            schema=Identifier(recorder.datastore.schema),
            table=Identifier(recorder.events_table_name),
        )

    def __call__(self, requests: Sequence[AppendRequest]) -> list[Outcome]:
        """Two round trips: the lock and the lookup, then the insert (psycopg's pipeline).
        Any failure rolls the transaction back; it is raised once the pipeline has closed,
        as psycopg asks."""
        recorder = self._recorder
        failure: Exception | None = None
        with recorder.datastore.get_connection() as conn:
            with conn.pipeline() as pipeline:
                try:
                    with conn.transaction():
                        decisions, positions = self._append(conn, pipeline, requests)
                except Exception as error:
                    failure = error
            if failure is not None:
                raise failure
        return split_positions(requests, decisions, positions)

    def _append(
        self, conn: Connection[Any], pipeline: Pipeline, requests: Sequence[AppendRequest]
    ) -> tuple[list[frozenset[UUID]], Sequence[int]]:
        recorder = self._recorder
        with conn.cursor() as lock, conn.cursor() as versions:
            recorder._lock_table(lock)
            versions.execute(self._versions, (read_ids(requests),), prepare=True)
            pipeline.sync()
            stored = {r["id"]: r["version"] for r in versions.fetchall() if r["version"]}
        decisions = stale_reads(requests, stored)
        events = accepted_events(requests, decisions)
        positions: Sequence[int] = []
        if events:
            with conn.cursor() as curs:
                recorder._notify_channel(curs)
                PostgresAggregateRecorder._insert_stored_events(recorder, curs, events)
                pipeline.sync()
                positions = recorder._fetch_ids_after_insert_events(curs, events) or []
        return decisions, positions


class SqliteAppend:
    """In one write transaction: the read set's latest versions, then the insert."""

    def __init__(self, recorder: SQLiteApplicationRecorder) -> None:
        self._recorder = recorder
        self._table = recorder.events_table_name

    def _versions_sql(self, count: int) -> str:
        rows = ",".join("(?)" for _ in range(count))
        return (
            f"WITH r(id) AS (VALUES {rows}) SELECT r.id, (SELECT max(originator_version) "  # noqa: S608
            f"FROM {self._table} WHERE originator_id = r.id) FROM r"
        )

    def __call__(self, requests: Sequence[AppendRequest]) -> list[Outcome]:
        recorder = self._recorder
        ids = read_ids(requests)
        with recorder.datastore.transaction(commit=True) as curs:
            # A write first takes SQLite's write lock, so nothing can append between the
            # lookup and the insert (a deferred transaction would only lock at the insert).
            curs.execute(f"DELETE FROM {self._table} WHERE 0")  # noqa: S608
            stored: dict[UUID, int] = {}
            if ids:
                curs.execute(self._versions_sql(len(ids)), [i.hex for i in ids])
                stored = {UUID(row[0]): row[1] for row in curs.fetchall() if row[1]}
            decisions = stale_reads(requests, stored)
            events = accepted_events(requests, decisions)
            positions = (recorder._insert_events(curs, events) or []) if events else []
        return split_positions(requests, decisions, positions)


class MemoryAppend:
    """The in-memory store (unit tests): the same check under the store's own lock."""

    def __init__(self, recorder: POPOApplicationRecorder) -> None:
        self._recorder = recorder

    def __call__(self, requests: Sequence[AppendRequest]) -> list[Outcome]:
        recorder = self._recorder
        with recorder._database_lock:
            stored = {}
            for aggregate_id in read_ids(requests):
                latest = recorder.select_events(aggregate_id, desc=True, limit=1)
                if latest:
                    stored[aggregate_id] = latest[0].originator_version
            decisions = stale_reads(requests, stored)
            events = accepted_events(requests, decisions)
            positions = (recorder.insert_events(events) or []) if events else []
        return split_positions(requests, decisions, positions)


def conditional_append(recorder: ApplicationRecorder) -> ConditionalAppend:
    """The conditional append for `recorder`'s kind of store."""
    appenders: list[tuple[type[Any], Any]] = [
        (PostgresApplicationRecorder, PostgresAppend),
        (SQLiteApplicationRecorder, SqliteAppend),
        (POPOApplicationRecorder, MemoryAppend),
    ]
    for kind, appender in appenders:
        if isinstance(recorder, kind):
            return appender(recorder)  # type: ignore[no-any-return]
    raise TypeError(f"no conditional append for {type(recorder).__name__}")
