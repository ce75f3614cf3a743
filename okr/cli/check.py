"""`okr check`: every domain rule re-validated over the whole log, in log order."""

from __future__ import annotations

import json
import sys

from tqdm import tqdm

from okr.audit.check import RuleChecker
from okr.audit.findings import Violation
from okr.audit.log import head, read_log
from okr.bootstrap import open_application
from okr.infra.event_store import DatabaseUrl


def line(violation: Violation, as_json: bool) -> str:
    """One violation, as a human-readable line or as a JSON object."""
    ids = [str(i) for i in violation.ids]
    if as_json:
        return json.dumps(
            {
                "position": violation.position,
                "rule": violation.rule,
                "type": violation.event_type,
                "ids": ids,
                "message": violation.message,
            }
        )
    return (
        f"position {violation.position}: {violation.rule} in {violation.event_type} "
        f"({', '.join(ids)}): {violation.message}"
    )


def run(url: DatabaseUrl, as_json: bool = False) -> int:
    """Check the log up to its current head; exit 1 if any event broke a rule."""
    app = open_application(url)
    checker = RuleChecker()
    found = 0
    try:
        last = head(app)
        with tqdm(total=last, unit="event", desc="checking", file=sys.stderr) as bar:
            for batch in read_log(app, stop=last):
                for position, event in batch:
                    for violation in checker.feed(position, event):
                        found += 1
                        print(line(violation, as_json))
                bar.update(len(batch))
    finally:
        app.close()
    noun = "violation" if found == 1 else "violations"
    summary = f"checked {checker.checked} events: {found} {noun}"
    print(summary, file=sys.stderr if as_json else sys.stdout)
    return 1 if found else 0
