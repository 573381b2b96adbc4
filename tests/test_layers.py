"""The pipeline's shape: imports point down corpus → index → rag → ui, modules stay small."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ["corpus", "index", "rag", "ui"]
MAX_LINES = 260  # "about 250": a module past this has more than one job


def _modules(layer: str) -> list[Path]:
    return sorted((ROOT / layer).rglob("*.py"))


def _imported_layers(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        found |= {n.split(".")[0] for n in names if n.split(".")[0] in LAYERS}
    return found


@pytest.mark.parametrize("layer", LAYERS)
def test_imports_point_down_the_pipeline(layer):
    allowed = set(LAYERS[: LAYERS.index(layer) + 1])
    for path in _modules(layer):
        upward = _imported_layers(path) - allowed
        assert not upward, f"{path.relative_to(ROOT)} imports {sorted(upward)} (above {layer})"


def test_no_module_is_much_over_250_lines():
    for layer in LAYERS:
        for path in _modules(layer):
            lines = len(path.read_text("utf-8").splitlines())
            assert lines <= MAX_LINES, f"{path.relative_to(ROOT)} has {lines} lines"
