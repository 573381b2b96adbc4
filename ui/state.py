"""One Engine per process, loaded in the background so the server answers at once.

While the model is converted or the index built, pages show progress and the
API answers 503 with a message instead of hanging. Once ready, a watcher sees
the library change (a document added or removed by `policy-rag add` or the
admin API) and swaps in a new Engine built with the same model: questions keep
being answered from the old one until the new one is complete.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Literal

from index.library import library_generation
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
        self._reloading = threading.Lock()
        if engine:
            self._ready.set()

    def start(self, watch: bool = True) -> None:
        if self.engine is None:
            threading.Thread(target=self._load, args=(watch,), name="engine-loader", daemon=True).start()
        elif watch:
            threading.Thread(target=self._watch, name="library-watcher", daemon=True).start()

    def _load(self, watch: bool) -> None:
        try:
            self.engine = Engine.load(self.settings, progress=self._say)
            self.status = "ready"
            self.progress = ""
        except Exception as e:  # shown to users as a message, logged in full here
            log.exception("engine failed to load")
            self.status, self.error = "failed", str(e)
        finally:
            self._ready.set()
        if watch and self.engine is not None:
            self._watch()

    def reload(self) -> None:
        """Build an Engine for the library as it is now, then swap it in."""
        with self._reloading:
            current = self.engine
            if current is None:
                return
            self.engine = Engine.open(current.settings, current.embedder)
            log.info("library changed: now %d documents", len(self.engine.index.docs))

    def _watch(self) -> None:
        while True:
            time.sleep(self.settings.reload_seconds)
            engine = self.engine
            if engine is None or engine.index.persisted_at is None:
                continue
            try:
                if library_generation(engine.index.persisted_at) != engine.index.generation:
                    self.reload()
            except Exception:  # a failed reload keeps the published engine answering
                log.exception("could not load the changed library; still answering from the previous one")

    def _say(self, message: str) -> None:
        self.progress = message
        log.info("startup: %s", message)

    def wait(self, timeout: float | None = None) -> Engine | None:
        self._ready.wait(timeout)
        return self.engine
