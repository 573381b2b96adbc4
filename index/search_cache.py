"""The built FAISS and BM25 indexes of one library state, kept beside the library.

Building them is most of a cold start on a large library (FAISS over every clause,
jieba over every clause's text); the library's checksum names the state, so a
server — or a replica reading the same published folder — loads what an earlier
start built. Files are checked against their recorded SHA-256 before they are
read, and anything missing, damaged or stale is simply built again.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np

from index import dense, keyword
from index.char_pairs import PairPostings

log = logging.getLogger(__name__)

FOLDER = "search"
FORMAT = "4"  # bump when what is cached, or how it is built, changes (2: mention-scan text, 3: its pairs, 4: pairs' units)
PARTS = ("dense.faiss", "bm25", "terms.json", "scan.txt", "pairs.npz")
KEEP = 2  # cached states kept: the published one and the one before it (a server may still use it)


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(path.rglob("*")) if path.is_dir() else [path]:
        if p.is_file():
            h.update(p.relative_to(path).as_posix().encode() if path.is_dir() else b"")
            with p.open("rb") as f:
                while block := f.read(1 << 20):
                    h.update(block)
    return h.hexdigest()


def _builders() -> str:
    """The code and library versions that shape the built indexes: a change to any rebuilds them."""
    import bm25s
    import faiss
    import jieba

    from corpus import part_names, text
    from index import store, tokenize

    sources = b"".join(Path(m.__file__).read_bytes() for m in (dense, keyword, tokenize, store, part_names, text))
    sources += part_names.DATA.read_bytes() + part_names.ROLES.read_bytes()
    versions = f"{faiss.__version__} {bm25s.__version__} {jieba.__version__}"
    return hashlib.sha256(sources).hexdigest() + versions


def cache_key(checksum: str, model_id: str) -> str:
    return hashlib.sha256(f"{FORMAT}\n{_builders()}\n{model_id}\n{checksum}".encode()).hexdigest()[:24]


def load(data_dir: Path, key: str) -> tuple[object, object, list[str], str, PairPostings] | None:
    """(faiss index, bm25, tokenizer terms, scan text, its character pairs' units) of this state, or None
    when it must be built."""
    folder = data_dir / FOLDER / key
    try:
        manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
        for name in PARTS:
            if _digest(folder / name) != manifest[name]:
                raise ValueError(f"{name} does not match its checksum")
        terms = json.loads((folder / "terms.json").read_text("utf-8"))
        scan = (folder / "scan.txt").read_bytes().decode("utf-8")  # bytes: no newline translation
        with np.load(folder / "pairs.npz", allow_pickle=False) as z:
            pairs = PairPostings(*(z[f] for f in PairPostings._fields))
        return dense.load(folder / "dense.faiss"), keyword.load(folder / "bm25"), terms, scan, pairs
    except FileNotFoundError:
        return None
    except Exception as e:  # any damage means: build it again
        log.warning("Search index cache %s unusable (%s); rebuilding it.", folder, e)
        return None


def save(data_dir: Path, key: str, dense_index: object, bm25: object, terms: list[str], scan: str,
         pairs: PairPostings) -> None:
    """Written under a temporary name and renamed, so a reader never sees half of it."""
    root = data_dir / FOLDER
    try:
        root.mkdir(exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{key}-", dir=root))
        dense.save(dense_index, tmp / "dense.faiss")
        keyword.save(bm25, tmp / "bm25")
        (tmp / "terms.json").write_text(json.dumps(terms, ensure_ascii=False), "utf-8")
        (tmp / "scan.txt").write_text(scan, "utf-8", newline="")
        np.savez(tmp / "pairs.npz", **pairs._asdict())
        manifest = {name: _digest(tmp / name) for name in PARTS}
        (tmp / "manifest.json").write_text(json.dumps(manifest), "utf-8")
        if (root / key).exists():
            shutil.rmtree(root / key, ignore_errors=True)  # a damaged copy: replaced by this one
        tmp.rename(root / key)
    except OSError as e:
        log.warning("Could not keep the search index in %s (%s); the next start builds it again.", root, e)
        return
    states = sorted((p for p in root.iterdir() if p.is_dir()), key=lambda p: p.stat().st_mtime, reverse=True)
    done = [p for p in states if not p.name.startswith(".")]
    stale = [p for p in states if p.name.startswith(".") and time.time() - p.stat().st_mtime > 3600]  # killed writers
    for old in done[KEEP:] + stale:
        shutil.rmtree(old, ignore_errors=True)
