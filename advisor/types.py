"""Typed objects that cross module boundaries: the CLI, UI, evals and tests all read these."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Level = Literal["national", "provincial", "city", "county", "think-tank", "user", "unknown"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DocumentMeta(_Model):
    """Bibliographic facts about one source document; copied onto each of its chunks."""

    doc_id: str = Field(description="Content hash of the document text (sha256, 16 hex chars).")
    title: str = Field(description="Document title, from front matter, sidecar or file name.")
    issuer: str = Field(default="", description="Issuing body, e.g. 国务院 or 甲子光年智库.")
    doc_number: str = Field(default="", description="Official document number, e.g. 国发〔2025〕11号.")
    date: str = Field(default="", description="Issue date as written (YYYY, YYYY-MM or YYYY-MM-DD).")
    level: str = Field(default="unknown", description="national / provincial / city / think-tank / user …")
    region: str = Field(default="", description="Region the document applies to, e.g. 全国, 深圳市.")
    kind: str = Field(default="", description="Document kind: 报告, 条例, 意见, 办法 …")
    source: str = Field(default="", description="Where the text came from (URL, repository, upload).")
    path: str = Field(default="", description="Path of the file, relative to the corpus dir when inside it.")
    status: str = Field(
        default="", description="Front matter status: empty or current (in force), expired, superseded."
    )
    valid_until: str = Field(default="", description="Last day in force (YYYY-MM-DD), when the text says.")


class Document(_Model):
    """A loaded document: its full text and metadata."""

    text: str
    meta: DocumentMeta


class Chunk(_Model):
    """A retrievable span of one document. ``text`` is exactly ``document.text[start:end]``."""

    chunk_id: str = Field(description="Content hash of doc_id + offsets + text.")
    doc_id: str
    section: str = Field(default="", description="Heading breadcrumb, e.g. '第三章 > 第十二条'.")
    text: str = Field(description="Verbatim text of the span (the heading is in `section`).")
    start: int = Field(description="Character offset of the span in the document text.")
    end: int = Field(description="End offset (exclusive).")
    n_tokens: int = Field(default=0, description="tiktoken cl100k_base token count of `embed_text`.")

    def embed_text(self, title: str = "") -> str:
        """Text given to the embedder and keyword index: title and heading first, for context."""
        head = " > ".join(p for p in (title, self.section) if p)
        return f"{head}\n{self.text}" if head else self.text


class Hit(_Model):
    """One retrieved chunk with its fused score."""

    chunk_id: str
    doc_id: str
    title: str
    section: str = ""
    text: str
    score: float = Field(description="Fused relevance score (higher is better).")
    meta: dict[str, Any] = Field(
        default_factory=dict, description="issuer, date, level, region, kind, source …"
    )
    scores: dict[str, float] = Field(
        default_factory=dict, description="Component scores: dense, keyword, and their ranks."
    )


class Citation(_Model):
    """A numbered reference ``[n]`` to a verbatim quote in a real chunk."""

    n: int
    chunk_id: str
    doc_id: str
    title: str
    section: str = ""
    quote: str = Field(description="Verbatim span of the chunk supporting the claim.")
    issuer: str = ""
    date: str = ""
    doc_number: str = ""
    level: str = ""
    status: str = Field(default="", description="Document status: current, expired or superseded.")
    valid_until: str = ""


def document_status(status: str, valid_until: str = "", today: str = "") -> str:
    """current / expired / superseded: what the front matter says, or expired once ``valid_until`` is past
    (``today`` as YYYY-MM-DD; the caller's clock)."""
    status = (status or "").strip().lower()
    if status in ("expired", "superseded"):
        return status
    if valid_until and today and valid_until[:10] < today[:10]:
        return "expired"
    return "current"


def validity_note(status: str, valid_until: str = "", today: str = "") -> str:
    """The words shown beside a document that is no longer in force; empty for a current one.
    Answers, plans and comparisons all use it, so an expired text is never shown as current policy."""
    state = document_status(status, valid_until, today)
    if state == "expired":
        return f"已失效（有效期至{valid_until}）" if valid_until else "已失效"
    if state == "superseded":
        return "已被替代，不再有效"
    return ""


class Recommendation(_Model):
    title: str
    detail: str = ""
    actor: str = Field(default="", description="Who acts (牵头单位/角色).")
    horizon: str = Field(default="", description="Time horizon, e.g. 近期（1年内）.")
    citations: list[int] = Field(default_factory=list, description="Citation numbers `n` supporting it.")
    supported: bool = True


class Verification(_Model):
    """What citation verification did to the raw model output."""

    keys_given: int = 0
    citations_checked: int = 0
    invented_keys_removed: int = 0
    keys_remapped: int = 0
    quotes_repaired: int = 0
    citations_dropped: int = 0
    claims_dropped: int = 0
    numbers_rejected: int = 0
    off_topic_dropped: int = Field(
        default=0, description="Model recommendations dropped by the relevance gate (off the question)."
    )


Refinement = Literal["none", "refined", "skipped", "timeout", "failed", "rejected", "declined"]


class Answer(_Model):
    question: str
    standalone_question: str = ""
    text: str = Field(description="Markdown with [n] markers: 结论, 建议, 依据.")
    conclusion: str = ""
    points: list[Recommendation] = Field(
        default_factory=list, description="要点: facts that answer the question (list items, figures), cited."
    )
    recommendations: list[Recommendation] = Field(
        default_factory=list, description="建议: actions with an actor, cited; empty when none is supported."
    )
    citations: list[Citation] = Field(default_factory=list)
    grounded: bool = True
    provider: str = ""
    model: str = ""
    notice: str = Field(default="", description="Visible notice, e.g. fallback to extractive.")
    related: list[str] = Field(default_factory=list, description="Titles of related material when refusing.")
    excerpts: list[Citation] = Field(
        default_factory=list,
        description="With a refusal: the verbatim passages already shown as related material (not an answer).",
    )
    verification: Verification = Field(default_factory=Verification)
    hits: list[Hit] = Field(default_factory=list)
    timings: dict[str, float] = Field(default_factory=dict)
    tokens: dict[str, int] = Field(default_factory=dict)
    authorship: dict[str, Literal["model", "extractive"]] = Field(
        default_factory=dict,
        description="Who wrote each shown part (结论, 要点, 建议): the model (verified) or extractive text.",
    )
    refinement: Refinement = Field(
        default="none",
        description="What became of the model's improvement: none (not asked), refined, skipped (queue "
        "too long), timeout, failed (model error), rejected (failed verification or the relevance gate), "
        "declined (the model judged the sources do not answer).",
    )


class PlanSection(_Model):
    key: str
    title: str
    summary: str = ""
    recommendations: list[Recommendation] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    peers: list[Recommendation] = Field(
        default_factory=list,
        description="对标借鉴: peer regions' measures, each titled with its region, cited.",
    )
    written_by: Literal["model", "extractive"] = Field(
        default="extractive",
        description="Who wrote the recommendations shown: the model (verified) or extraction.",
    )
    status: str = Field(default="", description="How the section came about, for the UI (never exported).")


class Plan(_Model):
    city: str
    province: str
    title: str
    sections: list[PlanSection] = Field(default_factory=list)
    citations: list[Citation] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    provider: str = ""
    model: str = ""
    profile: dict[str, Any] = Field(default_factory=dict)
    created: str = ""
    timings: dict[str, float] = Field(default_factory=dict)
    verification: Verification = Field(default_factory=Verification)
    log: list[str] = Field(
        default_factory=list,
        description="Drafting events (model timeouts, skipped refinements): logs, not content.",
    )


class SkippedFile(_Model):
    path: str
    reason: str


class IngestReport(_Model):
    added: list[str] = Field(default_factory=list)
    updated: list[str] = Field(default_factory=list)
    unchanged: list[str] = Field(default_factory=list)
    removed: list[str] = Field(default_factory=list)
    skipped: list[SkippedFile] = Field(default_factory=list)
    chunks_total: int = 0
    chunks_embedded: int = 0
    seconds: float = 0.0
    embed_seconds: float = 0.0
