#!/usr/bin/env bash
# One entry point for a fresh machine: `bash run.sh serve` starts the product,
# `bash run.sh test` runs the test suite. Both install what they need first.
set -euo pipefail
cd "$(dirname "$0")"
VENV=.venv
PY=$VENV/bin/python

setup_python() {
  local stamp=$VENV/.installed-$(sha256sum pyproject.toml | cut -c1-16)
  [ -f "$stamp" ] && return 0
  [ -x "$PY" ] || python3 -m venv "$VENV"
  "$PY" -m pip install -q --upgrade pip
  # torch first: the CPU build lies on local disk; otherwise pip pulls a multi-GB CUDA build.
  "$PY" -m pip install -q torch==2.13.0
  "$PY" -m pip install -q -e '.[dev]'
  touch "$stamp"
}

setup_browser() {
  # Browser tests drive Debian's chromium; CJK fonts so screenshots show Chinese, not boxes;
  # axe-core (npm) checks accessibility.
  # (grep reads all of fc-list's output: with -q, pipefail would see fc-list's SIGPIPE as a failure)
  local missing=()
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  fc-list 2>/dev/null | grep -i "Noto Sans CJK" >/dev/null || missing+=(fonts-noto-cjk)
  command -v npm >/dev/null || missing+=(npm)
  if [ ${#missing[@]} -gt 0 ]; then
    local sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
  [ -f tests/.node/node_modules/axe-core/axe.min.js ] ||
    npm install --prefix tests/.node --no-audit --no-fund --silent axe-core@4 >/dev/null
}

case "${1:-}" in
  serve)
    setup_python
    shift
    exec "$VENV/bin/policy-rag" serve "$@"
    ;;
  test)
    setup_python
    setup_browser
    shift
    exec "$PY" -m pytest "$@"
    ;;
  *)
    echo "usage: bash run.sh serve|test [args...]" >&2
    exit 64
    ;;
esac
