"""The demo organization: Sunshine, a holiday company, over one quarter of OKR practice."""

from __future__ import annotations

from datetime import timedelta

from eventsourcing.application import AggregateNotFoundError

from okr.demo.organization import DEMO_ORGANIZATION_ID, Demo, write_organization
from okr.demo.plans import write_plans
from okr.demo.quarter import QUARTER_START, DemoClock, at, play_quarter
from okr.domain.clock import using_clock
from okr.services.application import OkrApplication

__all__ = ["DEMO_ORGANIZATION_ID", "Demo", "demo_exists", "load_demo"]


def demo_exists(app: OkrApplication) -> bool:
    """Whether the demo organization is already written."""
    try:
        app.repository.get(DEMO_ORGANIZATION_ID)
    except AggregateNotFoundError:
        return False
    return True


def load_demo(app: OkrApplication) -> Demo:
    """Write the Sunshine organization and a quarter of its history, stamped over that quarter."""
    clock = DemoClock(at(QUARTER_START - timedelta(days=14)))
    with using_clock(clock):
        demo = write_organization(app)
        write_plans(app, clock, demo)
        play_quarter(app, clock, demo)
    return demo
