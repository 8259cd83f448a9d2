"""Settings are the one place the environment is read (issue 14 item 7): `to_env` and `from_env`
agree, so worker processes build the settings their parent was given."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from redline.errors import ConfigError
from redline.settings import Settings

_paths = st.text(st.characters(whitelist_categories=("L", "N"), whitelist_characters="-_/."), min_size=1,
                 max_size=30).map(Path)


@given(data_dir=_paths, anchor=st.none() | _paths, secure=st.booleans(), idle=st.integers(1, 1440),
       proxies=st.sampled_from(["", "127.0.0.1", "10.0.0.5,10.0.0.6"]))
def test_the_environment_rebuilds_the_settings(data_dir: Path, anchor: Path | None, secure: bool, idle: int,
                                               proxies: str) -> None:
    given_settings = Settings(db_url="sqlite:///x.db", data_dir=data_dir, cookie_secure=secure,
                              session_idle_minutes=idle, forwarded_allow_ips=proxies, audit_anchor=anchor)
    assert Settings.from_env(given_settings.to_env()) == given_settings


@pytest.mark.parametrize("minutes", ["0", "1441", "soon"])
def test_a_bad_idle_timeout_is_refused(minutes: str) -> None:
    with pytest.raises(ConfigError, match="idle"):
        Settings.from_env({"REDLINE_SESSION_IDLE_MINUTES": minutes})


def test_explicit_values_win_over_the_environment() -> None:
    settings = Settings.from_env({"REDLINE_DATA": "from-env", "REDLINE_SECURE_COOKIES": "1"}, data_dir=Path("flag"))
    assert settings.data_dir == Path("flag")
    assert settings.cookie_secure is True
