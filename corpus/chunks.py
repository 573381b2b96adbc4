"""ParsedDocument → Chunks: the citable units with their document's identity attached.

Text stays as written; a Simplified copy is made for search (and Simplified
answers). Units without text are dropped, nothing else is.
"""

from __future__ import annotations

from corpus.document import ParsedDocument
from corpus.models import Chunk, DocumentInfo
from corpus.text import to_hans


def to_chunks(doc: ParsedDocument, info: DocumentInfo) -> list[Chunk]:
    hans = info.script == "hans"
    chunks = []
    for u in doc.units:
        if not u.text.strip():
            continue
        citable = u.kind == doc.unit_kind
        chunks.append(Chunk(
            doc_id=info.doc_id, doc_title=info.title, short_title=info.short_title, kind=u.kind,
            number=u.number if citable else None, sub_number=u.sub_number if citable else None,
            number_in_section=u.number_in_section, label=u.label, section=u.section, section_title=u.section_title,
            path=u.path, title=u.title, text=u.text, text_hans=u.text if hans else to_hans(u.text),
            script=info.script, source_file=info.source, line_start=u.line_start, line_end=u.line_end,
        ))
    return chunks
