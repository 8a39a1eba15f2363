"""Which model answers: the three providers as :class:`Provider` objects, and the cached chat models.

- ``local``: Qwen2.5-Coder-1.5B (GGUF from the model-part packages) through llama-cpp-python, run in a
  supervised worker process (:mod:`advisor.generation`) and reached through :class:`ChatLocalWorker`.
  The worker starts on first use, once per process; its requests queue and run one at a time.
- ``openai``: any OpenAI-compatible endpoint through ``langchain_openai.ChatOpenAI``.
- ``extractive``: no model; answers and plans are composed from retrieved text, and
  :meth:`Provider.chat_model` refuses it.
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import threading
from dataclasses import dataclass, field
from typing import Any, cast
from urllib.parse import urlsplit

from langchain_core.language_models import BaseChatModel

from advisor.generation import local_model
from advisor.generation.errors import ProviderError
from advisor.generation.local_chat import ChatLocalWorker
from advisor.generation.secrets import remember
from advisor.generation.structured import forget_formats
from advisor.generation.supervisor import LocalWorker
from advisor.settings import Settings

log = logging.getLogger(__name__)

PROVIDERS = ("local", "openai", "extractive")


# ---------------------------------------------------------------------------------------------------------
# Provider resolution


def llama_cpp_installed() -> bool:
    return importlib.util.find_spec("llama_cpp") is not None


def local_available(settings: Settings) -> bool:
    """True when the local provider can run: llama-cpp-python and the model (parts or a GGUF) present."""
    if not llama_cpp_installed():
        return False
    gguf = local_model.configured_gguf(settings)
    if gguf is not None:
        return gguf.is_file()
    return local_model.parts_installed() or local_model.model_ready(settings)


def resolve_provider(settings: Settings, provider: str | None = None) -> str:
    """Explicit ``provider`` > ``settings.llm_provider`` > local when installed, else extractive."""
    name = (provider or settings.llm_provider or "").strip().lower()
    if not name:
        return "local" if local_available(settings) else "extractive"
    if name not in PROVIDERS:
        raise ProviderError(
            f"未知的大模型提供方 {name!r}：可选 {' / '.join(PROVIDERS)}（命令行 --provider 或环境变量 ADVISOR_LLM_PROVIDER）"
        )
    if name == "openai":
        url = settings.llm_base_url.strip()
        if not url:
            raise ProviderError(
                "已选择 openai 提供方，但未设置 ADVISOR_LLM_BASE_URL（例如 http://127.0.0.1:8000/v1）；"
                "或设置 ADVISOR_LLM_PROVIDER=local / extractive"
            )
        if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).hostname:
            raise ProviderError(
                f"ADVISOR_LLM_BASE_URL 不是有效的 http(s) 地址：{url!r}（例如 http://127.0.0.1:8000/v1）"
            )
    elif name == "local":
        if not llama_cpp_installed():
            raise ProviderError(
                "已选择 local 提供方，但未安装 llama-cpp-python：运行 `make setup`（或 pip install 'advisor[local]'），"
                "或设置 ADVISOR_LLM_PROVIDER=extractive / openai"
            )
        gguf = local_model.configured_gguf(settings)
        if gguf is not None and not gguf.is_file():
            raise ProviderError(
                f"ADVISOR_LLM_MODEL 指定的模型文件不存在：{gguf}。请检查路径，或清空 ADVISOR_LLM_MODEL 以使用随包安装的本地模型"
            )
        if gguf is None and not (local_model.parts_installed() or local_model.model_ready(settings)):
            raise ProviderError(f"本地模型未安装：{local_model.NOT_INSTALLED_HINT}")
    return name


def model_label(settings: Settings, provider: str | None = None) -> str:
    """A display name for the model behind ``provider`` (never shows the API key)."""
    try:
        name = resolve_provider(settings, provider)
    except ProviderError:
        name = (provider or settings.llm_provider or "").strip().lower()
    if name == "local":
        gguf = local_model.configured_gguf(settings)
        return f"{gguf.name if gguf else local_model.MODEL_LABEL} (llama.cpp)"
    if name == "openai":
        return f"{settings.llm_model or 'default'} @ {_host(settings.llm_base_url)}"
    if name == "extractive":
        return "抽取式（不调用大模型）"
    return name or "?"


@dataclass(frozen=True)
class Budget:
    """How much a provider is given per call: sources shown, tokens per source, plan prompt tokens."""

    sources: int
    source_tokens: int
    plan_prompt_tokens: int


# The local 1.5B model on 2 cores reads ~40 prompt tokens/s and writes ~13 tokens/s, so it sees few, short
# sources: an answer's improvement must fit in about 30 s.
BUDGETS = {
    "local": Budget(sources=3, source_tokens=160, plan_prompt_tokens=1300),
    "openai": Budget(sources=6, source_tokens=400, plan_prompt_tokens=3000),
    "extractive": Budget(sources=0, source_tokens=0, plan_prompt_tokens=0),
}


@dataclass(frozen=True)
class Provider:
    """A resolved provider: what the steps need to know about the model, without asking settings again.

    ``extractive`` is a provider like the others: ``uses_model`` is False and :meth:`chat_model` refuses."""

    name: str
    label: str
    answer_timeout_s: float
    section_timeout_s: float
    budget: Budget
    settings: Settings = field(repr=False, compare=False)
    injected: BaseChatModel | None = field(default=None, repr=False, compare=False)  # tests' fake model

    @property
    def is_local(self) -> bool:
        """The model runs on this machine (one generation at a time, slow): callers queue and budget."""
        return self.name == "local"

    @property
    def uses_model(self) -> bool:
        return self.name != "extractive"

    def chat_model(self) -> BaseChatModel:
        if self.injected is not None:
            return self.injected
        return chat_model(self.settings, self.name)


def get_provider(
    settings: Settings, name: str | None = None, injected: BaseChatModel | None = None
) -> Provider:
    """The :class:`Provider` for ``name`` (resolved as in :func:`resolve_provider`; raises
    :class:`ProviderError` when it cannot run)."""
    chosen = resolve_provider(settings, name)
    timeout = settings.local_timeout_s if chosen == "local" else settings.llm_timeout_s
    return Provider(
        name=chosen,
        label=model_label(settings, chosen),
        answer_timeout_s=timeout,
        section_timeout_s=settings.plan_section_timeout_s if chosen == "local" else timeout,
        budget=BUDGETS[chosen],
        settings=settings,
        injected=injected,
    )


def _host(url: str) -> str:
    parts = urlsplit(url)
    if not parts.hostname:
        return url.split("@")[-1] or "?"
    return f"{parts.hostname}:{parts.port}" if parts.port else parts.hostname


# ---------------------------------------------------------------------------------------------------------
# Factory

_cache: dict[tuple[Any, ...], BaseChatModel] = {}
_cache_lock = threading.Lock()


def chat_model(settings: Settings, provider: str | None = None) -> BaseChatModel:
    """The LangChain chat model for ``provider`` (resolved as in :func:`resolve_provider`).

    Cached per process per (provider, relevant settings); the local model file is assembled and loaded
    on the first generation, not here.
    """
    name = resolve_provider(settings, provider)
    if name == "extractive":
        raise ProviderError("extractive 提供方不调用大模型：请直接使用抽取式回答，或选择 local / openai")
    if name == "local":
        gguf = local_model.configured_gguf(settings)
        where = str(gguf.resolve()) if gguf else str(settings.model_dir.resolve())
        key: tuple[Any, ...] = (
            "local",
            where,
            settings.llm_ctx,
            settings.llm_threads,
            settings.local_timeout_s,
        )
    else:
        secret = settings.llm_api_key.get_secret_value()
        key = (
            "openai",
            settings.llm_base_url.strip(),
            settings.llm_model,
            hashlib.sha256(secret.encode()).hexdigest(),
            settings.llm_timeout_s,
        )
    with _cache_lock:
        model = _cache.get(key)
        if isinstance(model, ChatLocalWorker) and model.worker.closed:
            model = None  # someone closed it (tests, shutdown): start afresh
        if model is None:
            model = _make_local(settings) if name == "local" else _make_openai(settings)
            _cache[key] = model
        return model


def clear_cache() -> None:
    """Forget cached chat models; local-model worker processes are stopped."""
    with _cache_lock:
        models = list(_cache.values())
        _cache.clear()
    forget_formats()
    for model in models:
        if isinstance(model, ChatLocalWorker):
            model.worker.close()


def _make_local(settings: Settings) -> ChatLocalWorker:
    gguf = local_model.configured_gguf(settings)
    worker = LocalWorker(
        (lambda: gguf) if gguf is not None else (lambda: local_model.ensure_model(settings)),
        n_ctx=settings.llm_ctx,
        n_threads=settings.llm_threads,
        log_path=settings.data_dir / "logs" / "local-worker.log",
    )
    return ChatLocalWorker(
        worker,
        model_name=gguf.name if gguf else local_model.MODEL_FILENAME,
        timeout_s=settings.local_timeout_s,
    )


def _make_openai(settings: Settings) -> BaseChatModel:
    from langchain_openai import ChatOpenAI

    secret = settings.llm_api_key.get_secret_value()
    remember(secret)
    key = secret or "not-needed"
    return ChatOpenAI(
        base_url=settings.llm_base_url.strip(),
        model=settings.llm_model or "default",
        api_key=cast(Any, key),
        timeout=settings.llm_timeout_s,
        max_retries=0,
        stream_usage=True,
        use_responses_api=False,
    )
