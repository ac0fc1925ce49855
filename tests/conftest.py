"""Test-suite settings. In CI (CI=true) Hypothesis runs derandomized, so a red run is reproducible."""
from __future__ import annotations

import os

import pytest
from hypothesis import settings

settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


@pytest.fixture(autouse=True)
def _private_proof_cache(tmp_path_factory, monkeypatch):
    """`xenmodel prove` caches proved obligations under $XDG_CACHE_HOME: each test gets its own, so no
    test sees another's (or the user's) cache."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))


@pytest.fixture
def write(tmp_path, monkeypatch):
    """Write a file into a fresh working directory (the test runs there) and give its relative name, as a
    user would type it. Test files with a `write` of another shape define their own."""
    monkeypatch.chdir(tmp_path)

    def w(name: str, text: str) -> str:
        (tmp_path / name).write_text(text)
        return name
    return w
