"""Relay connections over keyset pages: a view returns one row more than the page, and each
edge's cursor is the row's place in its order (`ids.cursor`), as clients already hold them."""

from __future__ import annotations

from collections.abc import Callable

import strawberry
from strawberry import relay
from strawberry.relay import NodeType

from okr.views.database import Row


@strawberry.type(name="Connection", description="A page of a list, and where it ends.")
class Page(relay.Connection[NodeType]):
    """Relay's connection with `nodes` beside `edges`. Paging runs forward (`first`, `after`)
    in the view's own SQL, so `relay.connection`'s offset slicing, `before` and `last` do not
    apply; `hasPreviousPage` is true when `after` was given."""

    @strawberry.field(description="The edges' nodes, in order.")
    def nodes(self) -> list[NodeType]:
        return [edge.node for edge in self.edges]

    @classmethod
    def of(
        cls,
        rows: list[Row],
        size: int,
        make: Callable[[Row], tuple[str, NodeType]],
        after: str | None,
    ) -> Page[NodeType]:
        """A page of `size` from `rows` (fetched with one extra row to tell if more follow);
        `make` gives each row's cursor and node."""
        edges = [relay.Edge(cursor=c, node=n) for c, n in map(make, rows[:size])]
        return cls(
            edges=edges,
            page_info=relay.PageInfo(
                has_next_page=len(rows) > size,
                has_previous_page=after is not None,
                start_cursor=edges[0].cursor if edges else None,
                end_cursor=edges[-1].cursor if edges else None,
            ),
        )
