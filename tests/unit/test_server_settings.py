"""The server's settings from the environment: each variable parsed, refused when malformed,
and documented in the README."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from okr import server as server_module
from okr.graphql.admission import Limits
from okr.infra.event_store import ConfigurationError, DatabaseUrl
from okr.server import LIMIT_VARIABLES, METRICS_VARIABLE, RECHECK_VARIABLE, Settings

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


def test_the_limits_per_token_come_from_their_variables() -> None:
    environ = {variable: str(n + 2) for n, variable in enumerate(LIMIT_VARIABLES.values())}

    limits = Settings.from_environ(URL, environ).limits

    assert [getattr(limits, name) for name in LIMIT_VARIABLES] == [2, 3, 4, 5, 6]
    assert Settings.from_environ(URL, {}).limits == Limits()


@pytest.mark.parametrize("variable", list(LIMIT_VARIABLES.values()))
@pytest.mark.parametrize("value", ["0", "-3", "1.5", "many", "٣"])
def test_a_limit_must_be_a_positive_whole_number(variable: str, value: str) -> None:
    with pytest.raises(ConfigurationError, match=variable):
        Settings.from_environ(URL, {variable: value})


def test_the_metrics_token_is_kept_out_of_the_settings_repr() -> None:
    settings = Settings.from_environ(URL, {METRICS_VARIABLE: "s3cret-metrics"})

    assert settings.metrics_token == "s3cret-metrics"
    assert "s3cret" not in repr(settings)


def test_every_variable_the_server_reads_is_in_the_readme() -> None:
    """The README's tables name every setting `okr serve` reads from the environment."""
    readme = (Path(__file__).parents[2] / "README.md").read_text()
    read = set(re.findall(r"\bOKR_[A-Z_]+\b", inspect.getsource(server_module)))

    assert len(read) >= 11
    assert sorted(v for v in read if f"`{v}`" not in readme) == []
