"""Start `policy-rag serve` in a child process on a free loopback port and wait for it.

Shared by the test suite and the benchmark, which both need a real server
started exactly as a user starts it.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(data_dir: Path, *, ready_path: str = "/healthz", timeout: float = 300,
                 log_file: Path | None = None, **env_overrides: str) -> tuple[subprocess.Popen, str, float]:
    """(process, base URL, seconds until ready). Ready = `ready_path` answers 200 with
    status "ready" (/healthz) or any 200 (e.g. a first real answer, for cold-start timing).
    The server's output goes to `log_file` (default: a file in `data_dir`), never to a pipe
    nobody reads, which would stall a chatty server."""
    port = free_port()
    env = {**os.environ, "POLICY_RAG_DATA_DIR": str(data_dir), "POLICY_RAG_PORT": str(port), **env_overrides}
    if log_file is None:
        Path(data_dir).mkdir(parents=True, exist_ok=True)
        log_file = Path(data_dir) / "server.log"
    out = log_file.open("a", encoding="utf-8")
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "ui.cli", "serve"], env=env, stdout=out,
                            stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    while time.perf_counter() - start < timeout:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited: {log_file.read_text('utf-8', 'replace')[-3000:]}")
        try:
            r = httpx.get(base + ready_path, timeout=5)
            if r.status_code == 200 and (ready_path != "/healthz" or r.json().get("status") == "ready"):
                return proc, base, time.perf_counter() - start
        except (httpx.HTTPError, ValueError):
            pass
        time.sleep(0.1)
    proc.kill()
    raise RuntimeError(f"server did not become ready in {timeout:.0f} s")


def stop_server(proc: subprocess.Popen, grace: float = 10) -> None:
    """Terminate; kill if open client streams keep it from exiting in `grace` seconds."""
    proc.terminate()
    try:
        proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=grace)
