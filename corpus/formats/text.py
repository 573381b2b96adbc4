"""Bytes → str for plain-text uploads, which in China come in several encodings.

UTF-8 (with or without BOM) first, then GB18030 (a superset of GBK/GB2312),
then Big5. Big5 bytes usually also decode as GB18030 (into nonsense), so when
both decode, charset-normalizer's language model decides between them.
"""

from __future__ import annotations

import codecs
import logging
import unicodedata

import charset_normalizer

from corpus.errors import IngestError
from corpus.formats import SourceText

log = logging.getLogger(__name__)

_BOMS = [(codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")]
_CJK_CODECS = ("gb18030", "big5")
_NORMALIZER_NAMES = {"gb18030": "gb18030", "gbk": "gb18030", "gb2312": "gb18030", "cp936": "gb18030",
                     "hz": "gb18030", "big5": "big5", "big5hkscs": "big5", "cp950": "big5"}
MAX_CHAOS = 0.1  # charset-normalizer's "mess" score above which a guess is mojibake
MAX_CONTROL_SHARE = 0.02


def decode_bytes(data: bytes, source: str) -> str:
    """Decode text bytes or raise IngestError("binary" / "undecodable" / "empty")."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _check_text(_strict(data, codec, source), source)
    if b"\x00" in data[:65536] or b"\x00" in data[-65536:]:
        raise IngestError("binary", source, "file contains NUL bytes; it is a binary file, not text")
    try:
        return _check_text(data.decode("utf-8"), source)
    except UnicodeDecodeError:
        pass
    clean = [c for c in _CJK_CODECS if _decodes(data, c)]
    if len(clean) == 1:
        return _check_text(data.decode(clean[0]), source)
    if len(clean) == 2:
        best = charset_normalizer.from_bytes(data, cp_isolation=list(_CJK_CODECS)).best()
        codec = _NORMALIZER_NAMES.get(best.encoding, "gb18030") if best else "gb18030"
        log.info("%s: decodes as GB18030 and Big5; chose %s", source, codec)
        return _check_text(data.decode(codec), source)
    best = charset_normalizer.from_bytes(data).best()
    if best is None or best.chaos > MAX_CHAOS:
        raise IngestError("undecodable", source, "text is not valid UTF-8, GB18030/GBK or Big5 and no other "
                          "encoding fits")
    log.info("%s: decoded as %s (chaos %.3f)", source, best.encoding, best.chaos)
    return _check_text(str(best), source)


def _decodes(data: bytes, codec: str) -> bool:
    try:
        data.decode(codec)
    except UnicodeDecodeError:
        return False
    return True


def _strict(data: bytes, codec: str, source: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        raise IngestError("undecodable", source, f"file starts with a {codec} byte-order mark but is not "
                          f"valid {codec} at byte {exc.start}") from exc


def _check_text(text: str, source: str) -> str:
    """Reject binary junk that happens to decode (e.g. an executable that is valid GB18030)."""
    if not text.strip():
        raise IngestError("empty", source, "file contains no text")
    sample = text[:200_000]
    control = sum(1 for ch in sample if unicodedata.category(ch) in ("Cc", "Co", "Cn") and ch not in "\t\n\r\f\v")
    if control > MAX_CONTROL_SHARE * len(sample):
        raise IngestError("binary", source, f"{control} of the first {len(sample)} characters are control or "
                          "unassigned codes; this is not a text document")
    return text


def read_txt(data: bytes, source: str) -> SourceText:
    return SourceText(lines=decode_bytes(data, source).splitlines(), format="txt")
