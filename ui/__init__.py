"""Interfaces: command line, Gradio chat and widget, JSON API."""

import os

from ui import gradio_stubs

# Our users are often air-gapped: Gradio must not try to reach its analytics servers.
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
gradio_stubs.install()
