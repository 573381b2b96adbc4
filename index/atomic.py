"""Folders that are either complete and verified, or not used at all.

A build writes into a temporary folder inside `root`, records every file's
size and SHA-256, then is published by atomically replacing the one-line
pointer file `CURRENT`. A process killed at any moment leaves CURRENT naming
the previous complete folder; damaged files fail verification and the caller
rebuilds instead of serving them.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pydantic import BaseModel

POINTER = "CURRENT"


class FileRecord(BaseModel):
    size: int
    sha256: str


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 22), b""):
            h.update(block)
    return h.hexdigest()


def record_files(folder: Path, skip: tuple[str, ...] = ()) -> dict[str, FileRecord]:
    return {
        str(p.relative_to(folder)): FileRecord(size=p.stat().st_size, sha256=sha256_file(p))
        for p in sorted(folder.rglob("*")) if p.is_file() and p.name not in skip
    }


VERIFIED = ".verified.json"  # size and mtime of each file when its checksum last matched


def verify_files(folder: Path, files: dict[str, FileRecord]) -> str | None:
    """Why the folder is damaged, or None when every file matches its record.

    A file is hashed again only when its size, inode, modification or status-change time
    differs from the last time its checksum matched: the model folder is checked at every
    start, and hashing its two 470 MB weight files took 0.7 s of a 10 s cold start. Writing
    or replacing a file changes these (a copy made with its times kept is a new inode);
    silent corruption on disk does not, and is left to the file system."""
    try:
        seen = json.loads((folder / VERIFIED).read_text("utf-8"))
    except (OSError, ValueError):
        seen = {}
    now: dict[str, list] = {}
    for name, rec in files.items():
        path = folder / name
        stat = path.stat() if path.is_file() else None
        if stat is None or stat.st_size != rec.size:
            return f"{name} is missing or truncated"
        now[name] = [stat.st_size, stat.st_ino, stat.st_mtime_ns, stat.st_ctime_ns, rec.sha256]
        if seen.get(name) != now[name] and sha256_file(path) != rec.sha256:
            return f"{name} is corrupted (checksum mismatch)"
    if now != seen:
        try:  # several workers may start at once: each writes its own file and renames it
            tmp = folder / f"{VERIFIED}.{os.getpid()}.{uuid.uuid4().hex}"
            tmp.write_text(json.dumps(now), "utf-8")
            os.replace(tmp, folder / VERIFIED)
        except OSError:  # a read-only cache is hashed at every start instead
            pass
    return None


def current(root: Path) -> Path | None:
    """The published folder under `root`, if any."""
    try:
        name = (root / POINTER).read_text("utf-8").strip()
    except OSError:
        return None
    folder = root / name
    return folder if name and "/" not in name and folder.is_dir() else None


def new_build_dir(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(dir=root, prefix=".build-"))


def publish(build_dir: Path, root: Path) -> Path:
    """Make `build_dir` the current folder and delete older ones."""
    final = root / f"v-{uuid.uuid4().hex[:12]}"
    build_dir.rename(final)
    tmp_pointer = root / f".{POINTER}.{os.getpid()}"
    tmp_pointer.write_text(final.name, "utf-8")
    with tmp_pointer.open("rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp_pointer, root / POINTER)
    for other in root.iterdir():
        if other.is_dir() and other != final and other.name.startswith(("v-", ".build-")):
            shutil.rmtree(other, ignore_errors=True)
    return final


@contextmanager
def build_lock(root: Path) -> Iterator[None]:
    """One builder per root at a time; others wait, then reuse its result."""
    root.mkdir(parents=True, exist_ok=True)
    with (root / ".lock").open("w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)
