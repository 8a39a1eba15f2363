"""The stable API for ``gradio_client``: ``/ask``, ``/plan`` and ``/retrieve`` (every UI event is private)."""

import json
import logging
from typing import TYPE_CHECKING, Any

import gradio as gr

from advisor.generation.errors import ProviderError
from advisor.index.store import StoreError
from advisor.places.cities import CityError
from advisor.planning.profile import ProfileError, profile_from_dict
from advisor.qa.answer import QuestionError
from advisor.render.markdown import plan_to_markdown
from advisor.web.common import LOCAL_GROUP, WIDE_ANSWERS, WIDE_PLANS, friendly_error, provider_arg
from advisor.web.compare import register_compare_api
from advisor.web.diagnose import register_diagnose_api
from advisor.web.plan import export_plan

if TYPE_CHECKING:
    from advisor.service import Advisor

# No ``from __future__ import annotations`` here: ``gr.api`` reads the endpoint functions' type hints
# to describe their inputs and outputs.

log = logging.getLogger(__name__)


def api_ask(adv: "Advisor", question: str, history_json: str = "", provider: str = "") -> tuple[str, str]:
    """/ask: (question, history as JSON or "", provider) → (answer Markdown, JSON with citations).

    ``history_json``: a JSON list of {"role": "user"|"assistant", "content": "..."} or of [user, assistant]
    pairs. ``provider``: "" / "auto", "extractive", "local" or "openai". The Markdown ends with the AI
    label; the JSON object has ``provider``, ``model``, ``grounded``, ``notice``, ``refinement`` (what became
    of the model's improvement), ``authorship`` (结论/要点/建议 → model or extractive) and ``citations``.
    """
    history: list[Any] | None = None
    if history_json and history_json.strip():
        try:
            history = json.loads(history_json)
        except json.JSONDecodeError as exc:
            raise gr.Error(f"history_json 不是有效的 JSON：{exc.msg}") from exc
        if not isinstance(history, list):
            raise gr.Error('history_json 应为列表，如 [{"role": "user", "content": "…"}]')
    try:
        answer = adv.ask(question, history=history, provider=provider_arg(provider))
    except (QuestionError, ProviderError) as exc:
        raise gr.Error(str(exc)) from exc
    except StoreError as exc:
        log.error("vector store unavailable: %s", exc)
        raise gr.Error(str(exc)) from exc
    except Exception as exc:
        raise gr.Error(friendly_error(exc, "回答这个问题")) from exc
    meta = {
        "provider": answer.provider,
        "model": answer.model,
        "grounded": answer.grounded,
        "notice": answer.notice,
        "refinement": answer.refinement,
        "authorship": answer.authorship,
        "citations": [c.model_dump(mode="json") for c in answer.citations],
    }
    return answer.text, json.dumps(meta, ensure_ascii=False)


def api_plan(adv: "Advisor", city: str, profile_json: str = "", provider: str = "") -> tuple[str, str]:
    """/plan: (city, profile as JSON or "", provider) → (plan Markdown with provenance, .docx path)."""
    profile = None
    if profile_json and profile_json.strip():
        try:
            raw = json.loads(profile_json)
        except json.JSONDecodeError as exc:
            raise gr.Error(f"profile_json 不是有效的 JSON：{exc.msg}") from exc
        try:
            profile = profile_from_dict(raw).model_dump()
        except ProfileError as exc:
            raise gr.Error(str(exc)) from exc
    try:
        plan = adv.plan(city, profile=profile, provider=provider_arg(provider))
    except CityError as exc:
        raise gr.Error(str(exc)) from exc
    except (ProfileError, ProviderError) as exc:
        raise gr.Error(str(exc)) from exc
    except Exception as exc:
        raise gr.Error(friendly_error(exc, "起草规划")) from exc
    markdown = plan_to_markdown(plan)
    docx_path, _md_path = export_plan(adv, plan, markdown)
    return markdown, str(docx_path)


def api_retrieve(adv: "Advisor", query: str, k: int = 5) -> str:
    """/retrieve: (query, k) → JSON list of hits (title, section, text, score, meta)."""
    if not str(query or "").strip():
        raise gr.Error("检索内容为空")
    try:
        hits = adv.retrieve(str(query)[:500], k=max(1, min(int(k), 50)))
    except StoreError as exc:
        raise gr.Error(str(exc)) from exc
    return json.dumps(
        [
            h.model_dump(
                mode="json", include={"chunk_id", "doc_id", "title", "section", "text", "score", "meta"}
            )
            for h in hits
        ],
        ensure_ascii=False,
    )


def register_api(adv: "Advisor", default_local: bool) -> None:
    """Register /ask, /plan and /retrieve (inside ``gr.Blocks``); requests that run the local model by
    default share its concurrency group with the UI."""

    def ask(question: str, history_json: str = "", provider: str = "") -> tuple[str, str]:
        """Answer a question. Returns (answer Markdown with [n] markers and the AI label, JSON with
        provider, model, grounded, notice and citations). history_json: JSON list of
        {"role", "content"} messages or [user, assistant] pairs, or "". provider: "", "extractive",
        "local" or "openai"."""
        return api_ask(adv, question, history_json, provider)

    def retrieve(query: str, k: int = 5) -> str:
        """The top k passages for query, as a JSON list (title, section, text, score, meta)."""
        return api_retrieve(adv, query, k)

    # answers run side by side: the local model's worker queues the improvements and skips them under load
    gr.api(ask, api_name="ask", concurrency_id="answer", concurrency_limit=WIDE_ANSWERS)
    gr.api(retrieve, api_name="retrieve", concurrency_limit=WIDE_ANSWERS)

    # /plan returns a file, so it needs real components (the client downloads the .docx).
    with gr.Row(visible=False):
        city = gr.Textbox(label="city")
        profile = gr.Textbox("", label="profile_json")
        provider = gr.Textbox("", label="provider")
        markdown = gr.Textbox(label="markdown")
        docx = gr.File(label="docx")
        trigger = gr.Button("plan")

    def plan(city: str, profile_json: str = "", provider: str = "") -> tuple[str, str]:
        """Draft a plan for city. profile_json: JSON object of city facts (支柱产业, 高校与科研院所, 现有算力,
        产业园区, 产业基金, 优势, 短板, 备注 — or the English field names), or "". Returns (plan Markdown with
        its provenance front matter, the .docx file)."""
        return api_plan(adv, city, profile_json, provider)

    trigger.click(
        plan,
        [city, profile, provider],
        [markdown, docx],
        api_name="plan",
        concurrency_id=LOCAL_GROUP if default_local else "plan",
        concurrency_limit=1 if default_local else WIDE_PLANS,
    )
    register_compare_api(adv)
    register_diagnose_api(adv)
