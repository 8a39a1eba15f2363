"""Plans and answers as Markdown, always with the explicit AI label (and, for files, the implicit one).

Every Markdown file offered for download carries the explicit label of ``prompts/ai_label.md``
(《人工智能生成合成内容标识办法》第四条) and the implicit label of :func:`advisor.render.labeling.provenance`
in its YAML front matter (第五条). There is deliberately no option to leave either out.

An answer is rendered in parts, so that a UI can lay them out on its own (the web chat shows the sources
as panels) while the CLI and exports print the whole; the whole is always the parts joined:

    :func:`answer_to_markdown` = :func:`answer_body_markdown` + :func:`answer_sources_markdown`
                                 + :func:`answer_related_markdown` + :func:`answer_label_markdown`
"""

from __future__ import annotations

from advisor.render.common import (
    NO_SOURCES,
    NOT_COVERED_HEADER,
    UNSUPPORTED_MARK,
    cited_in,
    date_cn,
    display_quote,
    doc_facts,
    documents,
    is_unsupported,
    known_numbers,
    markers,
    plan_date,
    rec_meta,
    region,
    section_heading,
    section_note,
    validity_note_of,
)
from advisor.render.labeling import ANSWER_LABEL, DOCUMENT_LABEL, provenance
from advisor.render.labeling import front_matter as _front_matter  # answer_to_markdown's keyword
from advisor.render.plan_status import PEERS_HEADING, section_status
from advisor.types import Answer, Plan, Recommendation

# --------------------------------------------------------------------------- plan


def _plan_items(recs: list[Recommendation], known: set[int]) -> list[str]:
    out: list[str] = []
    for j, rec in enumerate(recs, start=1):
        marks = "".join(f"[{n}]" for n in markers(rec, known))
        # one list item: title, detail and markers on a line; 牵头/时限 after a hard break (a
        # separate paragraph renders inline in some viewers, running the fields together)
        line = f"{j}. **{rec.title.strip()}**" + (f"：{rec.detail.strip()}" if rec.detail else "") + marks
        if is_unsupported(rec, known):
            line += UNSUPPORTED_MARK
        meta = rec_meta(rec, "；")
        out += [f"{line}\\", f"   {meta}", ""] if meta else [line, ""]
    return out


def plan_markdown_body(plan: Plan, status: bool = False) -> str:
    """The plan as shown: explicit label first, title, sections, 依据文件, 说明 (no front matter).
    ``status=True`` (the web view, never a file) adds each section's drafting status under its heading."""
    known = known_numbers(plan.citations)
    out: list[str] = [f"> {DOCUMENT_LABEL}", "", f"# {plan.title}", ""]
    out += [
        f"**地区**：{region(plan)}　**日期**：{date_cn(plan_date(plan))}　**状态**：草案（须经人工审核）",
        "",
    ]
    for i, section in enumerate(plan.sections, start=1):
        out += [f"## {section_heading(i, section.title)}", ""]
        if status:
            out += [f"<small>{section_status(section)}</small>", ""]
        if section.summary:
            out += [section.summary.strip(), ""]
        out += _plan_items(section.recommendations, known)
        if section.peers:
            out += [f"**{PEERS_HEADING}**（其他地区的做法，供本市借鉴）", ""]
            out += _plan_items(section.peers, known)
        if section.notes:
            out += [f"- {section_note(note)}" for note in section.notes]
            out.append("")
    out += ["## 依据文件", ""]
    if not plan.citations:
        out += [NO_SOURCES, ""]
    used = cited_in(plan)
    for k, (doc, cites) in enumerate(documents(plan.citations), start=1):
        facts = doc_facts(doc)
        out.append(f"{k}. 《{doc.title}》" + (f"（{facts}）" if facts else ""))
        for c in cites:
            where = f"{c.section}：" if c.section else ""
            usage = f"（见：{'，'.join(used[c.n])}）" if used.get(c.n) else ""
            out.append(f"   - [{c.n}] {where}“{display_quote(c.quote)}”{usage}")
        out.append("")
    if plan.notes:
        out += ["## 说明", ""]
        out += [f"- {note.strip()}" for note in plan.notes]
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def plan_to_markdown(plan: Plan) -> str:
    """The plan as a Markdown file: provenance front matter, then :func:`plan_markdown_body`."""
    body = plan_markdown_body(plan)
    return _front_matter(provenance(plan, body)) + "\n" + body


# --------------------------------------------------------------------------- answer parts


def answer_body_markdown(answer: Answer) -> str:
    """The answer without its sources and label: 资料未覆盖 header, notice, 结论, 建议 ("" when empty)."""
    known = known_numbers(answer.citations)
    blocks: list[str] = []
    if not answer.grounded:
        blocks.append(f"### {NOT_COVERED_HEADER}")
    if answer.notice:
        blocks.append(f"> 提示：{answer.notice.strip()}")
    conclusion = answer.conclusion.strip()
    if conclusion:
        blocks.append(f"**结论**：{conclusion}")
    elif not answer.recommendations and not answer.points and answer.text.strip():
        # an answer carrying only free text: shown as it is, its label added once (answer_label_markdown)
        text = answer.text.replace(f"> {ANSWER_LABEL}", "").replace(ANSWER_LABEL, "").strip()
        if text:
            blocks.append(text)
    for heading, items in (("要点", answer.points), ("建议", answer.recommendations)):
        if items:
            blocks.append("\n".join([f"**{heading}**", "", *_numbered(items, known)]))
    return "\n\n".join(blocks)


def _numbered(items: list[Recommendation], known: set[int]) -> list[str]:
    lines = []
    for j, rec in enumerate(items, start=1):
        line = f"{j}. **{rec.title.strip()}**"
        if rec.detail:
            line += f"：{rec.detail.strip()}"
        if rec.actor:
            line += f"（牵头：{rec.actor}）"
        line += "".join(f"[{n}]" for n in markers(rec, known))
        if is_unsupported(rec, known):
            line += UNSUPPORTED_MARK
        lines.append(line)
    return lines


def answer_sources_markdown(answer: Answer) -> str:
    """The 依据 list: one line per citation with its verbatim quote ("" without citations)."""
    if not answer.citations:
        return ""
    lines = ["**依据**", ""]
    for c in sorted(answer.citations, key=lambda c: c.n):
        where = f" {c.section}" if c.section else ""
        note = validity_note_of(c)
        where += f"（{note}）" if note else ""
        lines.append(f"- [{c.n}] 《{c.title}》{where} — “{display_quote(c.quote)}”")
    return "\n".join(lines)


def answer_related_markdown(answer: Answer) -> str:
    """For a refusal: the related material worth reading ("" otherwise) — the documents, and the passages
    the user was already shown while the model judged them (quoted, and said not to answer)."""
    if answer.grounded or not (answer.related or answer.excerpts):
        return ""
    lines = ["**可参考的相关资料**", "", *(f"- 《{t.strip('《》')}》" for t in answer.related)]
    if answer.excerpts:
        lines += ["", "**相关原文摘录**（资料只部分涉及，未直接回答这个问题）", ""]
        for c in answer.excerpts:
            where = f" {c.section.split(' > ')[-1]}" if c.section else ""
            lines.append(f"- 《{c.title}》{where} — “{display_quote(c.quote)}”")
    return "\n".join(lines)


REFINEMENT_NOTES = {
    "skipped": "排队请求较多，本次未请大模型润色",
    "timeout": "大模型润色超时，保留原文摘录",
    "failed": "大模型润色出错，保留原文摘录",
    "rejected": "大模型的改写未通过引用核验，保留原文摘录",
    "declined": "大模型判断资料不足以回答",
}


def answer_status(answer: Answer) -> str:
    """Who wrote what, truthfully: the parts the model wrote (verified) and those quoted from the
    sources, and why the model did not improve the answer when it was asked to ("" for a refusal)."""
    model = [part for part, who in answer.authorship.items() if who == "model"]
    quoted = [part for part, who in answer.authorship.items() if who == "extractive"]
    if model:
        text = f"{'、'.join(model)}由大模型撰写（已核验引用）"
        text += f"；{'、'.join(quoted)}为原文摘录" if quoted else ""
    elif answer.grounded and quoted:
        text = "原文摘录（抽取式，未经大模型改写）"
    else:
        text = ""
    note = REFINEMENT_NOTES.get(answer.refinement, "")
    return "；".join(t for t in (text, note) if t)


def answer_label_markdown() -> str:
    """The explicit answer label, as the last line of every answer."""
    return f"> {ANSWER_LABEL}"


def answer_markdown_parts(answer: Answer) -> list[str]:
    """The non-empty parts of :func:`answer_to_markdown`, in order."""
    parts = (
        answer_body_markdown(answer),
        answer_sources_markdown(answer),
        answer_related_markdown(answer),
        answer_label_markdown(),
    )
    return [p for p in parts if p]


def answer_to_markdown(answer: Answer, *, front_matter: bool = False) -> str:
    """The answer as Markdown ending with the explicit label; ``front_matter=True`` (files offered for
    download) also prepends the provenance block so the file carries the implicit label."""
    body = "\n\n".join(answer_markdown_parts(answer)) + "\n"
    if not front_matter:
        return body
    return _front_matter(provenance(answer, body)) + "\n" + body
