"""OKR_SUBSCRIPTION_RECHECK_SECONDS sets how often subscriptions re-check their token."""

from __future__ import annotations

import pytest

from okr.infra.event_store import ConfigurationError, DatabaseUrl
from okr.server import RECHECK_VARIABLE, Settings

URL = DatabaseUrl("memory:")


def test_unset_means_every_5_seconds() -> None:
    assert Settings.from_environ(URL, {}).subscription_recheck_seconds == 5.0
    assert Settings(URL).subscription_recheck_seconds == 5.0


def test_the_variable_sets_the_interval() -> None:
    settings = Settings.from_environ(URL, {RECHECK_VARIABLE: "0.25"}, dev=True)

    assert (settings.subscription_recheck_seconds, settings.dev) == (0.25, True)


@pytest.mark.parametrize("value", ["0", "-1", "soon", "nan", "inf"])
def test_other_values_are_refused(value: str) -> None:
    with pytest.raises(ConfigurationError, match=RECHECK_VARIABLE):
        Settings.from_environ(URL, {RECHECK_VARIABLE: value})
