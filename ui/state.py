"""One Engine per process, loaded in the background so the server answers at once.

While the model is converted or the index built, pages show progress and the
API answers 503 with a message instead of hanging.
"""

from __future__ import annotations

import logging
import threading
from typing import Literal

from rag.engine import Engine
from rag.settings import Settings

log = logging.getLogger(__name__)

Status = Literal["loading", "ready", "failed"]


class EngineHolder:
    def __init__(self, settings: Settings, engine: Engine | None = None) -> None:
        self.settings = settings
        self.engine = engine
        self.status: Status = "ready" if engine else "loading"
        self.progress = "" if engine else "starting"
        self.error = ""
        self._ready = threading.Event()
        if engine:
            self._ready.set()

    def start(self) -> None:
        if self.engine is None:
            threading.Thread(target=self._load, name="engine-loader", daemon=True).start()

    def _load(self) -> None:
        try:
            self.engine = Engine.load(self.settings, progress=self._say)
            self.status = "ready"
            self.progress = ""
        except Exception as e:  # shown to users as a message, logged in full here
            log.exception("engine failed to load")
            self.status, self.error = "failed", str(e)
        finally:
            self._ready.set()

    def _say(self, message: str) -> None:
        self.progress = message
        log.info("startup: %s", message)

    def wait(self, timeout: float | None = None) -> Engine | None:
        self._ready.wait(timeout)
        return self.engine
