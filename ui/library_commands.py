"""`policy-rag add | list | remove | show`: the library verbs (argument handling and printing only)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from pydantic import BaseModel

from rag.messages import ingest_error, lang_from_locale, msg
from rag.settings import Settings


class DocumentLine(BaseModel):
    """The JSON object `add --json` and `list --json` print per document."""

    id: str
    title: str
    short_title: str
    unit_kind: str
    units: int
    source: str
    summary: str = ""
    builtin: bool = False


def _embedder(s: Settings):
    from index.embedder import load_embedder

    return load_embedder(s.model, s.model_cache, **s.embedder_options())


def _library(s: Settings, embedder=None):
    from corpus.catalogue import builtin_documents
    from index.store import prepare_library

    return prepare_library(s.data_dir, embedder or _embedder(s), builtin_documents(s.corpus_dir))


def cmd_add(args: argparse.Namespace, s: Settings) -> int:
    from tqdm import tqdm

    from index.ingest import Overrides, add_paths, expand

    lang = lang_from_locale(dict(os.environ))  # what a person reads follows their locale
    missing = [p for p in args.paths if not p.exists()]
    for p in missing:
        _report({"source": str(p), "error": f"{p}: no such file or folder", "code": "unreadable"}, args.json,
                msg("error_prefix", lang) + msg("ingest_missing", lang, source=p))
    embedder = _embedder(s)
    lib = _library(s, embedder)
    overrides = Overrides(doc_id=args.id, title=args.title, short_title=args.short_title, issuer=args.issuer,
                          doc_number=args.doc_number)
    added = units = 0
    files = expand([p for p in args.paths if p.exists()])
    # One bar for the whole run (documents, units, rate, time left), on a terminal only.
    bar = tqdm(total=len(files), unit="doc", file=sys.stderr, disable=None, dynamic_ncols=True)
    try:
        for r in add_paths(files, lib, embedder, max_bytes=s.max_file_bytes, overrides=overrides,
                           group_texts=s.add_group_texts):
            added += r.added
            units += (r.units or 0) if r.added else 0
            bar.update(1)
            bar.set_postfix(units=units, refresh=False)
            if args.json:
                line = {"source": r.source, "error": r.error, "code": r.code} if r.error else (
                    DocumentLine(id=r.id, title=r.title, short_title=r.short_title or "", unit_kind=r.unit_kind or "",
                                 units=r.units or 0, source=r.source, summary=r.summary or "").model_dump()
                    | ({"duplicate_of": r.duplicate_of} if r.duplicate_of else {}))
                print(json.dumps(line, ensure_ascii=False), flush=True)
            elif r.error:
                tqdm.write(msg("error_prefix", lang) + ingest_error(r.code, r.source, r.error, lang), file=sys.stderr)
            elif r.duplicate_of:
                tqdm.write(msg("ingest_duplicate", lang, source=r.source, doc=r.duplicate_of))
            else:
                tqdm.write(f"{r.id}  《{r.title}》  {r.summary}"
                           + "".join(f"\n{msg('warning_prefix', lang)}{w}" for w in r.warnings))
    finally:
        bar.close()
        lib.close()
    return 0 if added or not args.paths else 1


def _report(line: dict, as_json: bool, text: str) -> None:
    print(json.dumps(line, ensure_ascii=False) if as_json else text, file=sys.stdout if as_json else sys.stderr)


def _lines(s: Settings) -> list[DocumentLine]:
    lib = _library(s)
    try:
        return [DocumentLine(id=d.info.doc_id, title=d.info.title, short_title=d.info.short_title,
                             unit_kind=d.info.unit_kind, units=d.info.units, source=d.info.source,
                             summary=d.info.summary, builtin=d.info.builtin) for d in lib.documents()]
    finally:
        lib.close()


def cmd_list(args: argparse.Namespace, s: Settings) -> int:
    lines = _lines(s)
    if args.json:
        print(json.dumps([ln.model_dump() for ln in lines], ensure_ascii=False, indent=1))
    for ln in [] if args.json else lines:
        print(f"{ln.id}  《{ln.title}》  {ln.summary}" + ("  (built in)" if ln.builtin else ""))
    return 0


def cmd_remove(args: argparse.Namespace, s: Settings) -> int:
    from index.ingest import remove_document

    lib = _library(s)
    try:
        doc = lib.document(args.id)
        if doc is None or doc.info.builtin:
            why = "is built in and cannot be removed" if doc else "is not in the library (see `policy-rag list`)"
            print(f"error: {args.id} {why}", file=sys.stderr)
            return 1
        remove_document(lib, args.id)
    finally:
        lib.close()
    print(json.dumps({"removed": args.id}) if args.json else f"removed {args.id}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    add = sub.add_parser("add", help="add documents (files or folders) to the library")
    add.add_argument("paths", type=Path, nargs="+")
    add.add_argument("--json", action="store_true", help="one JSON object per document")
    add.add_argument("--id", help="the document's id (one file only; default: from the file name)")
    add.add_argument("--title", help="override the title found in the document")
    add.add_argument("--short-title", help="the short name users type, e.g. 营商环境条例")
    add.add_argument("--issuer", help="override the issuing body")
    add.add_argument("--doc-number", help="override the document number (文号)")
    add.set_defaults(func=cmd_add)
    ls = sub.add_parser("list", help="the documents in the library")
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(func=cmd_list)
    rm = sub.add_parser("remove", help="remove a document from the library")
    rm.add_argument("id")
    rm.add_argument("--json", action="store_true")
    rm.set_defaults(func=cmd_remove)
