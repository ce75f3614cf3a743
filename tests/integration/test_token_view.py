"""The tokens view answers whether a token may be used in one read: not revoked, and its
person (if any) active, whatever order the log recorded their leaving and the token in."""

from __future__ import annotations

from okr.bootstrap import open_runtime
from okr.domain.api_token import ApiToken, Role
from okr.domain.commands import DeactivatePerson, ReactivatePerson
from okr.infra.event_store import DatabaseUrl
from okr.services.tokens import hash_secret
from okr.views.tokens import token_by_hash, token_is_live
from tests.world import World


async def test_a_token_recorded_after_its_person_left_is_refused(
    database_url: DatabaseUrl,
) -> None:
    runtime = await open_runtime(database_url)
    try:
        world = World.build(runtime.app)
        world.app.handle(world.ctx, DeactivatePerson(world.bo, "moved on"))
        # An older version recorded tokens without checking the person: write one directly.
        token = ApiToken.issue(
            world.ctx.organization_id,
            "system:test",
            name="left behind",
            role=Role.MEMBER,
            person_id=world.bo,
            secret_hash=hash_secret("okr_left_behind"),
        )
        runtime.app.save(token)
        await runtime.runner.catch_up()

        assert await token_by_hash(runtime.views, hash_secret("okr_left_behind")) is None
        assert not await token_is_live(runtime.views, str(token.id))

        world.app.handle(world.ctx, ReactivatePerson(world.bo))
        await runtime.runner.catch_up()

        found = await token_by_hash(runtime.views, hash_secret("okr_left_behind"))
        assert found is not None
        assert found["id"] == str(token.id)
        assert await token_is_live(runtime.views, str(token.id))
    finally:
        await runtime.close()
