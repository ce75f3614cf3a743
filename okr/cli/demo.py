"""`okr demo`: write the Sunshine organization and show one key result's check-ins."""

from __future__ import annotations

from okr.bootstrap import open_application
from okr.demo import DEMO_ORGANIZATION_ID, demo_exists, load_demo
from okr.domain.key_result import KeyResult
from okr.infra.event_store import DatabaseUrl
from okr.services.context import Context


def run(url: DatabaseUrl) -> int:
    """Write the demo organization, unless it is there already, and show one key result."""
    app = open_application(url)
    try:
        if demo_exists(app):
            print(f"The demo organization is already in {url.redacted()}.")
            return 0
        loaded = load_demo(app)
        context = Context(DEMO_ORGANIZATION_ID, "system:demo")
        key_result = app.load(context, KeyResult, loaded.key_results["tier2_to_tier1"])
        print(f"Wrote the demo organization Sunshine ({loaded.organization_id})")
        print(f"into {url.redacted()} ({app.recorder.max_notification_id()} events in the log).")
        print(f"\n{key_result.title} (key result {key_result.id})")
        print("  effective    value  confidence  recorded             note")
        for check_in in key_result.check_ins:
            note = check_in.note
            if check_in.corrects_id is not None:
                note = f"correction: {check_in.reason}"
            print(
                f"  {check_in.effective_at:%Y-%m-%d} {check_in.value:8.0f}"
                f"  {check_in.confidence:10d}"
                f"  {check_in.recorded_at:%Y-%m-%d %H:%M:%S}  {note}"
            )
        return 0
    finally:
        app.close()
