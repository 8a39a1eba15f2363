"""Report tables for the blind split: every suite's metrics over all cases, the dev split and the test
split side by side, and the answer suite's breakdowns by question type and refusal category."""

from __future__ import annotations

import html
from typing import Any

from advisor.evals.datasets import SPLIT_LABELS, SPLITS
from advisor.evals.metrics import fmt

SPLIT_NOTE = (
    "开发集的题可以用来排查和调参；测试集是盲测题，只用于衡量，任何调参都不能看它。"
    "两列差距大，说明系统对见过的题型“背了答案”，对没见过的问法不够稳。"
)


def _e(x: Any) -> str:
    return html.escape(str(x), quote=True)


def _rows(suite: str, r: dict[str, Any]) -> list[tuple[str, dict[str, Any], list[float | None]]]:
    """(label, metric, [value over all, per split…]) for the metrics shown in the split table."""
    splits = r.get("splits") or {}
    out = []
    for key, m in r["metrics"].items():
        if suite == "retrieval" and not key.startswith("hybrid."):
            continue
        values = [m["value"], *((splits.get(sp) or {}).get("metrics", {}).get(key) for sp in SPLITS)]
        name = f"{m['group']}·{m['label']}" if m["group"] else m["label"]
        out.append((name, m, values))
    return out


def _heads(r: dict[str, Any]) -> list[str]:
    splits = r.get("splits") or {}
    return [
        f"{SPLIT_LABELS['all']}（{r['n']} 例）",
        *(f"{SPLIT_LABELS[sp]}（{(splits.get(sp) or {}).get('n', 0)} 例）" for sp in SPLITS),
    ]


def md_split_table(suite: str, r: dict[str, Any]) -> list[str]:
    if not r.get("splits"):
        return []
    heads = _heads(r)
    out = ["### 开发集与测试集", "", SPLIT_NOTE, "", "| 指标 | " + " | ".join(heads) + " |"]
    out.append("| --- |" + " --- |" * len(heads))
    for name, m, values in _rows(suite, r):
        lower = "（越低越好）" if not m["higher_better"] else ""
        out.append(f"| {name}{lower} | " + " | ".join(fmt(v, m["unit"]) for v in values) + " |")
    return [*out, ""]


def html_split_table(suite: str, r: dict[str, Any]) -> str:
    if not r.get("splits"):
        return ""
    head = "".join(f"<th>{_e(h)}</th>" for h in _heads(r))
    rows = "".join(
        f"<tr><td>{_e(name)}{'（越低越好）' if not m['higher_better'] else ''}</td>"
        + "".join(f"<td class='num'>{_e(fmt(v, m['unit']))}</td>" for v in values)
        + "</tr>"
        for name, m, values in _rows(suite, r)
    )
    return (
        f"<h3>开发集与测试集</h3><p class='legend'>{_e(SPLIT_NOTE)}</p>"
        f"<table><tr><th>指标</th>{head}</tr>{rows}</table>"
    )


# ---------------------------------------------------------------------------- answer-suite breakdowns


def _split_cells(v: dict[str, Any], field: str) -> list[str]:
    return [fmt(v.get(field), "rate"), *(fmt(v.get(f"{field}.{sp}"), "rate") for sp in SPLITS)]


def _split_heads(what: str) -> list[str]:
    return [what, *(f"{what}·{SPLIT_LABELS[sp]}" for sp in SPLITS)]


def md_answer_types(table: dict[str, Any]) -> list[str]:
    if not table:
        return []
    heads = ["题型", "题数", *_split_heads("要点覆盖率"), "误拒率"]
    out = ["### 按题型（有答案的问题）", "", "| " + " | ".join(heads) + " |", "|" + " --- |" * len(heads)]
    for typ, v in table.items():
        cells = [typ, str(v["n"]), *_split_cells(v, "fact_recall"), fmt(v.get("false_refusal"), "rate")]
        out.append("| " + " | ".join(cells) + " |")
    return [*out, ""]


def md_categories(table: dict[str, Any]) -> list[str]:
    if not table:
        return []
    heads = ["类别", "题数", *_split_heads("拒答准确率")]
    out = [
        "### 按类别（资料中没有答案的问题）",
        "",
        "| " + " | ".join(heads) + " |",
        "|" + " --- |" * len(heads),
    ]
    out += [
        "| " + " | ".join([cat, str(v["n"]), *_split_cells(v, "refusal_accuracy")]) + " |"
        for cat, v in table.items()
    ]
    return [*out, ""]


def html_answer_types(table: dict[str, Any]) -> str:
    if not table:
        return ""
    heads = "".join(f"<th>{_e(h)}</th>" for h in ["题型", "题数", *_split_heads("要点覆盖率"), "误拒率"])
    rows = "".join(
        f"<tr><td>{_e(t)}</td><td class='num'>{v['n']}</td>"
        + "".join(f"<td class='num'>{_e(c)}</td>" for c in _split_cells(v, "fact_recall"))
        + f"<td class='num'>{_e(fmt(v.get('false_refusal'), 'rate'))}</td></tr>"
        for t, v in table.items()
    )
    return (
        "<h3>按题型看要点覆盖率（有答案的问题）</h3><p class='legend'>“文件信息”问发文机关、文号、日期；"
        "“列举”要把几个并列章节的条目都答出来；“跨文件比较”要同时引用两份文件；英文和中英混合提问检验跨语言回答。</p>"
        f"<table><tr>{heads}</tr>{rows}</table>"
    )


def html_categories(table: dict[str, Any]) -> str:
    if not table:
        return ""
    heads = "".join(f"<th>{_e(h)}</th>" for h in ["类别", "题数", *_split_heads("拒答准确率")])
    rows = "".join(
        f"<tr><td>{_e(c)}</td><td class='num'>{v['n']}</td>"
        + "".join(f"<td class='num'>{_e(x)}</td>" for x in _split_cells(v, "refusal_accuracy"))
        + "</tr>"
        for c, v in table.items()
    )
    return f"<h3>拒答准确率（按类别）</h3><table><tr>{heads}</tr>{rows}</table>"
