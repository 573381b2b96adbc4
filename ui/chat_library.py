"""What the chat shows of the library: document choices, outlines, deep links, titles.

Kept apart from the Gradio layout so the rules (which document a link or a
pinned widget means, what the title says) are plain functions of the engine.
"""

from __future__ import annotations

from rag.engine import Engine
from rag.messages import msg
from rag.models import Lang
from rag.render import outline_label

SEP = "#"  # browser values are "doc_id#unit_key"


def doc_choices(engine: Engine, lang: Lang = "zh-hant") -> list[tuple[str, str]]:
    """Picker entries in the page's language: 反垄断法（70 條）."""
    def size(v) -> str:
        return msg("doc_units", lang, n=v.info.units, noun=msg(f"noun_{v.info.unit_kind}", lang))

    return [(f"{v.info.short_title or v.info.title}（{size(v)}）", d) for d, v in engine.views.items()]


def outline_choices(engine: Engine, doc_id: str | None) -> list[tuple[str, str]]:
    view = engine.views.get(doc_id) if doc_id else engine.builtin()
    if view is None:
        return []
    return [(outline_label(h), f"{h.doc_id}{SEP}{h.key}") for h in engine.outline(None, view.info.doc_id)]


def browse_value(engine: Engine, value: str | None):
    """The Hit a browser value names, or None."""
    if not value or SEP not in value:
        return None
    doc_id, key = value.split(SEP, 1)
    return engine.unit(doc_id, key, None)


def link_target(engine: Engine, params: dict[str, str]) -> tuple[str | None, str | None]:
    """(document, browser value) for ?doc=ID&unit=N or the shipped plan's ?measure=N."""
    doc_id = params.get("doc")
    if doc_id not in engine.views:
        doc_id = None
    unit = params.get("unit") if doc_id else params.get("measure")
    target = doc_id or (engine.builtin().info.doc_id if engine.builtin() else None)
    if unit and target and engine.unit(target, unit, None):
        return doc_id, f"{target}{SEP}{unit}"
    return doc_id, None


def chat_title(engine: Engine | None, doc_id: str | None, lang: Lang) -> str:
    if engine is None:
        return msg("chat_title", lang)
    view = engine.views.get(doc_id) if doc_id else None
    if view is None and len(engine.views) == 1:
        view = next(iter(engine.views.values()))
    if view is None:
        return msg("library_title", lang, count=len(engine.views))
    if view.info.builtin:
        return msg("chat_title", lang)
    return msg("doc_chat_title", lang, title=view.title("hans" if lang == "zh-hans" else "hant"))
