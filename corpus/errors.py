"""One exception type for every way a user's file can fail to ingest.

The UI shows `str(err)` to the user and may branch on `err.code`, so the
message always names the file and says what is wrong in one line.
"""

from __future__ import annotations

from typing import Literal

ErrorCode = Literal["unsupported_type", "empty", "binary", "no_text_layer", "encrypted", "undecodable",
                    "too_large", "unreadable"]
CODES: frozenset[str] = frozenset(ErrorCode.__args__)  # type: ignore[attr-defined]


class IngestError(ValueError):
    """A file that cannot be read as a policy document (never a bug in our code)."""

    def __init__(self, code: ErrorCode, source: str, reason: str) -> None:
        if code not in CODES:
            raise ValueError(f"unknown ingest error code {code!r}")
        self.code: ErrorCode = code
        self.source = source
        self.reason = " ".join(reason.split())  # one line, whatever the cause text held
        super().__init__(f"{source}: {self.reason}")
