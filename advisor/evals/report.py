"""Reports of an eval run: Markdown (for the web app and reviews) and one self-contained HTML file
(inline CSS and SVG, no external resources) that a non-engineer can read."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from advisor.evals.datasets import SPLIT_LABELS
from advisor.evals.metrics import fmt
from advisor.evals.split_tables import (
    html_answer_types,
    html_categories,
    html_split_table,
    md_answer_types,
    md_categories,
    md_split_table,
)

MODE_ORDER = ("混合检索", "仅向量", "仅关键词")
GUIDE = (
    "本报告用事先写好的标准题检验系统。百分比越高越好（标注“越低越好”的除外）。"
    "“基线”是上一次确认合格时的成绩；若某项比基线差出容差以上，门禁判定为“未通过”，需要先排查再发布。"
)


def _e(x: Any) -> str:
    return html.escape(str(x), quote=True)


def _gate_word(gate: dict[str, Any]) -> tuple[str, str]:
    if not gate.get("exists"):
        return "无基线", "none"
    return ("通过", "pass") if gate.get("passed") else ("未通过", "fail")


def _baselines(summary: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(c["suite"], c["key"]): c for c in summary.get("gate", {}).get("compared", [])}


# ------------------------------------------------------------------------------------------- Markdown


def to_markdown(summary: dict[str, Any]) -> str:
    gate = summary.get("gate", {})
    word, _ = _gate_word(gate)
    base = _baselines(summary)
    out = [
        "# 评测报告",
        "",
        f"- 回答方式：{summary['provider']}（{summary.get('model', '')}）",
        f"- 论点支持评审：{summary['judge'].get('label', summary['judge'].get('kind'))}",
        f"- 时间：{summary['created']}　用时 {summary['seconds']:.0f} 秒"
        + (f"　每套件最多 {summary['limit']} 例" if summary.get("limit") else ""),
        f"- 数据划分：{_split_word(summary)}",
        f"- 门禁：**{word}**" + (f"（基线 `{Path(gate['baseline']).name}`）" if gate.get("exists") else ""),
        "",
        GUIDE,
        "",
    ]
    if gate.get("regressions"):
        out += ["## 退步项", ""]
        out += [
            f"- {r['label']}（{r['suite']}.{r['key']}）：基线 {fmt(r['baseline'], r['unit'])} → 本次 "
            f"{fmt(r['current'], r['unit'])}，容差 {r['tolerance']}"
            for r in gate["regressions"]
        ]
        out.append("")
    for note in gate.get("notes", []):
        out.append(f"> {note}")
    if gate.get("notes"):
        out.append("")
    for suite, r in summary["suites"].items():
        out += [f"## {r['title']}（{r['n']} 例，{r['seconds']:.0f} 秒）", "", r.get("intro", ""), ""]
        if suite == "retrieval":
            out += _md_retrieval(r["metrics"], base)
            metrics: dict[str, Any] = {}
        else:
            out += ["| 指标 | 本次 | 基线 | 说明 |", "| --- | --- | --- | --- |"]
            metrics = r["metrics"]
        for key, m in metrics.items():
            b = base.get((suite, key))
            bval = fmt(b["baseline"], m["unit"]) if b else "—"
            name = f"{m['group']}·{m['label']}" if m["group"] else m["label"]
            flag = " ⚠" if b and b.get("regressed") else ""
            lower = "（越低越好）" if not m["higher_better"] else ""
            gate_mark = "（门禁）" if m["gate"] else ""
            out.append(
                f"| {name}{gate_mark} | {fmt(m['value'], m['unit'])}{flag} | {bval} | {m['explain']}{lower} |"
            )
        out.append("")
        out += md_split_table(suite, r)
        for title, table in (r.get("breakdown") or {}).items():
            out += _md_breakdown(title, table)
        fails = [c for c in r["cases"] if not c.get("ok")]
        out += [f"### 未通过的用例（{len(fails)}）", ""]
        out += [f"- `{c['id']}` {c['question']} —— {c.get('failure', '')}" for c in fails] or ["（无）"]
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def _md_retrieval(metrics: dict[str, Any], base: dict[tuple[str, str], dict[str, Any]]) -> list[str]:
    """One row per metric, one column per mode (the gate reads the hybrid column)."""
    out = ["| 指标 | 混合检索 | 基线 | 仅向量 | 仅关键词 | 说明 |", "| --- | --- | --- | --- | --- | --- |"]
    shorts = list(dict.fromkeys(k.split(".", 1)[1] for k in metrics))
    for short in shorts:
        h = metrics.get(f"hybrid.{short}")
        if h is None:
            continue
        b = base.get(("retrieval", f"hybrid.{short}"))
        cells = [
            fmt(metrics[f"{m}.{short}"]["value"], h["unit"]) if f"{m}.{short}" in metrics else "—"
            for m in ("dense", "keyword")
        ]
        flag = " ⚠" if b and b.get("regressed") else ""
        gate_mark = "（门禁）" if h["gate"] else ""
        out.append(
            f"| {h['label']}{gate_mark} | {fmt(h['value'], h['unit'])}{flag} | "
            f"{fmt(b['baseline'], h['unit']) if b else '—'} | {cells[0]} | {cells[1]} | {h['explain']} |"
        )
    return out


def _split_word(summary: dict[str, Any]) -> str:
    split = summary.get("split") or "all"
    if split == "all":
        return "全部题目（开发集 + 测试集，分列见各套件的“开发集与测试集”表）"
    return f"只评测{SPLIT_LABELS.get(split, split)}"


def _md_breakdown(title: str, table: dict[str, Any]) -> list[str]:
    if title == "by_answer_type":
        return md_answer_types(table)
    if title == "by_category":
        return md_categories(table)
    rows = list(table.items())
    if not rows:
        return []
    out = [
        f"### {'按题型' if title == 'by_type' else title}",
        "",
        "| 题型 | 题数 | 混合·前5命中 | 向量·前5命中 | 关键词·前5命中 |",
        "| --- | --- | --- | --- | --- |",
    ]
    for typ, v in rows:
        cells = [fmt(v.get(m, {}).get("hit@5"), "rate") for m in ("hybrid", "dense", "keyword")]
        out.append(f"| {typ} | {v['n']} | " + " | ".join(cells) + " |")
    return [*out, ""]


# ----------------------------------------------------------------------------------------------- HTML

CSS = """
*{box-sizing:border-box}
body{font-family:"Noto Sans CJK SC","Noto Sans SC","Microsoft YaHei","PingFang SC",sans-serif;margin:0;
 background:#f5f6f8;color:#1f2933;line-height:1.6}
main{max-width:1180px;margin:0 auto;padding:24px 28px 60px}
h1{font-size:28px;margin:0 0 4px}h2{font-size:22px;margin:36px 0 6px;padding-top:12px;border-top:2px solid #d8dde3}
h3{font-size:17px;margin:22px 0 8px}
.meta{color:#52606d;font-size:14px}.guide{background:#fff;border-left:4px solid #3b82f6;padding:10px 14px;margin:14px 0;
 font-size:15px}
.badge{display:inline-block;padding:2px 14px;border-radius:14px;font-weight:700;color:#fff;font-size:15px}
.pass{background:#16a34a}.fail{background:#dc2626}.none{background:#6b7280}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(340px,1fr));gap:12px}
.card{background:#fff;border:1px solid #e1e5ea;border-radius:8px;padding:10px 14px}
.card .name{font-weight:700;font-size:15px}.card .val{font-size:22px;font-weight:700;float:right}
.card .exp{color:#52606d;font-size:13px;margin:2px 0 6px;clear:both}
.card.bad{border-color:#dc2626;background:#fff5f5}
.tag{font-size:12px;color:#fff;background:#2563eb;border-radius:4px;padding:0 5px;margin-left:6px;font-weight:400}
.tag.judge{background:#7c3aed}.delta{font-size:13px;color:#52606d}
.delta.down{color:#dc2626;font-weight:700}.delta.up{color:#16a34a}
table{border-collapse:collapse;width:100%;background:#fff;font-size:14px;margin:6px 0 10px}
th,td{border:1px solid #e1e5ea;padding:5px 8px;text-align:left;vertical-align:top}
th{background:#eef1f5}td.num{text-align:right;white-space:nowrap}
.ok{color:#16a34a;font-weight:700}.no{color:#dc2626;font-weight:700}
details{background:#fff;border:1px solid #e1e5ea;border-radius:6px;margin:6px 0;padding:6px 12px}
summary{cursor:pointer;font-weight:600}
.fail-reason{color:#b91c1c;margin:4px 0}.why{color:#b91c1c;font-weight:400;font-size:14px}
pre{white-space:pre-wrap;word-break:break-word;background:#f8fafc;border:1px solid #e5e7eb;padding:8px;font-size:13px;
 font-family:inherit;max-height:420px;overflow:auto;margin:4px 0}
.hit{border-left:3px solid #cbd5e1;padding:2px 8px;margin:4px 0;font-size:13px}
.hit.rel{border-left-color:#16a34a;background:#f0fdf4}
.legend{font-size:13px;color:#52606d}
"""


def _bar(
    value: float | None, base: float | None, unit: str, width: int = 300, higher_better: bool = True
) -> str:
    """An inline SVG bar for a rate (0–1) with the baseline as a dark tick."""
    if unit != "rate" or value is None:
        return ""
    v = max(0.0, min(1.0, value))
    if higher_better:
        color = "#16a34a" if v >= 0.9 else "#f59e0b" if v >= 0.7 else "#dc2626"
    else:
        color = "#16a34a" if v <= 0.05 else "#f59e0b" if v <= 0.2 else "#dc2626"
    parts = [
        f'<svg width="{width}" height="16" viewBox="0 0 {width} 16" role="img" aria-label="{v * 100:.1f}%">',
        f'<rect x="0" y="3" width="{width}" height="10" rx="5" fill="#e5e7eb"/>',
        f'<rect x="0" y="3" width="{v * width:.1f}" height="10" rx="5" fill="{color}"/>',
    ]
    if base is not None:
        x = max(1.0, min(width - 1.0, base * width))
        parts.append(
            f'<rect x="{x - 1:.1f}" y="0" width="2.5" height="16" fill="#111827"><title>基线</title></rect>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _card(m: dict[str, Any], b: dict[str, Any] | None) -> str:
    base = b["baseline"] if b else None
    cls = "card bad" if b and b.get("regressed") else "card"
    tags = ""
    if m["gate"]:
        tags += '<span class="tag">门禁</span>'
    if m.get("judged"):
        tags += '<span class="tag judge">评审</span>'
    lower = "（越低越好）" if not m["higher_better"] else ""
    delta = ""
    if b and b.get("delta") is not None:
        d = b["delta"]
        worse = (d < 0) if m["higher_better"] else (d > 0)
        cls_d = "down" if b.get("regressed") else ("up" if d and not worse else "")
        shown = f"{d * 100:+.1f} 个百分点" if m["unit"] == "rate" else f"{d:+.2f}"
        delta = f'<div class="delta {cls_d}">基线 {_e(fmt(base, m["unit"]))}，变化 {shown}' + (
            "（超出容差）</div>" if b.get("regressed") else "</div>"
        )
    return (
        f'<div class="{cls}"><span class="name">{_e(m["label"])}</span>{tags}'
        f'<span class="val">{_e(fmt(m["value"], m["unit"]))}</span>'
        f'<div class="exp">{_e(m["explain"])}{lower}</div>{_bar(m["value"], base, m["unit"], higher_better=m["higher_better"])}{delta}</div>'
    )


def _retrieval_table(suite: str, r: dict[str, Any], base: dict[tuple[str, str], dict[str, Any]]) -> str:
    metrics = r["metrics"]
    labels: dict[str, tuple[str, str]] = {}
    for key, m in metrics.items():
        short = key.split(".", 1)[1]
        labels.setdefault(short, (m["label"], m["explain"]))
    head = "".join(f"<th>{_e(g)}</th>" for g in MODE_ORDER)
    rows = []
    for short, (label, explain) in labels.items():
        cells = []
        for mode in ("hybrid", "dense", "keyword"):
            m = metrics.get(f"{mode}.{short}")
            if m is None:
                cells.append("<td></td>")
                continue
            b = base.get((suite, f"{mode}.{short}"))
            bad = ' style="background:#fff5f5"' if b and b.get("regressed") else ""
            bar = _bar(m["value"], b["baseline"] if b else None, m["unit"], 160)
            cells.append(f'<td class="num"{bad}>{_e(fmt(m["value"], m["unit"]))}<br>{bar}</td>')
        gate = '<span class="tag">门禁</span>' if metrics.get(f"hybrid.{short}", {}).get("gate") else ""
        rows.append(
            f"<tr><td><b>{_e(label)}</b>{gate}<br><span class='legend'>{_e(explain)}</span></td>{''.join(cells)}</tr>"
        )
    return f"<table><tr><th>指标</th>{head}</tr>{''.join(rows)}</table>"


def _breakdown_html(title: str, table: dict[str, Any]) -> str:
    if title == "by_answer_type":
        return html_answer_types(table)
    if title == "by_category":
        return html_categories(table)
    if not table:
        return ""
    rows = "".join(
        f"<tr><td>{_e(t)}</td><td class='num'>{v['n']}</td>"
        + "".join(
            f"<td class='num'>{_e(fmt(v.get(m, {}).get('hit@5'), 'rate'))}</td>"
            for m in ("hybrid", "dense", "keyword")
        )
        + "</tr>"
        for t, v in table.items()
    )
    return (
        "<h3>按题型看前5命中率</h3><p class='legend'>“换种说法”是用户自己的口语化问法，“英文提问”和“中英混合”检验跨语言检索，"
        "这些正是向量检索弥补关键词检索的地方；“列举”和“跨文件比较”要找齐几处证据。</p>"
        f"<table><tr><th>题型</th><th>题数</th><th>混合检索</th><th>仅向量</th><th>仅关键词</th></tr>{rows}</table>"
    )


def _hits_html(hits: list[dict[str, Any]]) -> str:
    if not hits:
        return ""
    items = "".join(
        f'<div class="hit{" rel" if h.get("relevant") else ""}"><b>[{i}] 《{_e(h["title"])}》</b> {_e(h.get("section", ""))}'
        f"{'（含标准证据）' if h.get('relevant') else ''}<br>{_e(h['text'])}</div>"
        for i, h in enumerate(hits, start=1)
    )
    return f"<div><b>检索到的资料：</b>{items}</div>"


def _failure_html(suite: str, c: dict[str, Any], open_: bool = False) -> str:
    body = [f'<div class="fail-reason">原因：{_e(c.get("failure", ""))}</div>']
    if suite == "retrieval":
        body.append(
            f"<div><b>标准证据：</b>{_e('；'.join(c.get('evidence', [])))}（出自 {_e(c.get('doc', ''))}）</div>"
        )
        body.append(_hits_html(c.get("hits", [])))
    else:
        a = c.get("answer") or {}
        if c.get("why"):
            body.append(f"<div><b>资料里实际有什么：</b>{_e(c['why'])}</div>")
        if c.get("facts"):
            body.append(f"<div><b>应包含的要点：</b>{_e('、'.join(c['facts']))}</div>")
        if c.get("unsupported_claims"):
            body.append(
                "<div><b>缺少引文支持的论点：</b><ul>"
                + "".join(f"<li>{_e(x)}</li>" for x in c["unsupported_claims"][:6])
                + "</ul></div>"
            )
        if a.get("text"):
            label = "生成的方案" if suite == "plans" else "系统回答"
            body.append(f"<div><b>{label}：</b><pre>{_e(a['text'].replace('**', ''))}</pre></div>")
        body.append(_hits_html(a.get("hits", [])))
    reason = c.get("failure", "")
    short = reason if len(reason) <= 60 else reason[:60] + "…"
    return (
        f"<details{' open' if open_ else ''}><summary>{_e(c['id'])}　{_e(c['question'])}"
        f"<span class='why'>　—　{_e(short)}</span></summary>{''.join(body)}</details>"
    )


def _case_table(suite: str, cases: list[dict[str, Any]]) -> str:
    if suite == "retrieval":
        head = "<th>编号</th><th>问题</th><th>题型</th><th>混合</th><th>向量</th><th>关键词</th><th>结果</th>"

        def cells(c: dict[str, Any]) -> str:
            ranks = "".join(
                f"<td class='num'>{'第 ' + str(c[f'{m}.rank']) + ' 名' if c.get(f'{m}.rank') else '未找到'}</td>"
                for m in ("hybrid", "dense", "keyword")
            )
            return f"<td>{_e(c.get('type', ''))}</td>{ranks}"

    elif suite == "answers":
        head = "<th>编号</th><th>问题</th><th>类型</th><th>要点</th><th>引用</th><th>拒答</th><th>耗时</th><th>结果</th>"

        def cells(c: dict[str, Any]) -> str:
            kind = "有答案" if c["kind"] == "answerable" else "应拒答"
            facts = fmt(c.get("fact_recall"), "rate") if c["kind"] == "answerable" else "—"
            cites = f"{c['cit_ok']}/{c['cit_total']}"
            return (
                f"<td>{kind}</td><td class='num'>{facts}</td><td class='num'>{cites}</td>"
                f"<td>{'是' if c['refused'] else '否'}</td><td class='num'>{c['seconds']:.1f} 秒</td>"
            )

    elif suite == "diagnose":
        head = "<th>编号</th><th>草案</th><th>缺项查准</th><th>缺项查全</th><th>误判缺失</th><th>引文逐字</th><th>耗时</th><th>结果</th>"

        def cells(c: dict[str, Any]) -> str:
            ratio = lambda a, b: f"{c[a]}/{c[b]}"  # noqa: E731
            quotes = f"{c['draft_ok'] + c['corpus_ok']}/{c['draft_quotes'] + c['corpus_quotes']}"
            return (
                f"<td class='num'>{ratio('tp', 'pred_gaps')}</td><td class='num'>{ratio('tp', 'true_gaps')}</td>"
                f"<td class='num'>{ratio('false_missing', 'covered')}</td><td class='num'>{quotes}</td>"
                f"<td class='num'>{c['seconds']:.1f} 秒</td>"
            )

    else:
        head = "<th>编号</th><th>城市</th><th>结构</th><th>建议数</th><th>引用</th><th>针对性</th><th>无出处数字</th><th>耗时</th><th>结果</th>"

        def cells(c: dict[str, Any]) -> str:
            return (
                f"<td class='num'>{fmt(c.get('rubric'), 'rate')}</td><td class='num'>{c.get('recs', 0)}</td>"
                f"<td class='num'>{c.get('cit_ok', 0)}/{c.get('cit_total', 0)}</td>"
                f"<td class='num'>{fmt(c.get('specificity'), 'rate')}</td>"
                f"<td>{_e('、'.join(c.get('unsupported', [])) or '无')}</td><td class='num'>{c['seconds']:.1f} 秒</td>"
            )

    rows = "".join(
        f"<tr><td>{_e(c['id'])}</td><td>{_e(c['question'])}</td>{cells(c)}"
        f"<td>{'<span class=ok>✓ 通过</span>' if c.get('ok') else '<span class=no>✗ 未通过</span>'}</td></tr>"
        for c in cases
    )
    return f"<details><summary>逐题明细（{len(cases)} 例）</summary><table><tr>{head}</tr>{rows}</table></details>"


def to_html(summary: dict[str, Any]) -> str:
    gate = summary.get("gate", {})
    word, cls = _gate_word(gate)
    base = _baselines(summary)
    parts = [
        "<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'>",
        "<meta name='viewport' content='width=device-width, initial-scale=1'>",
        f"<title>评测报告 · {_e(summary['provider'])}</title><style>{CSS}</style></head><body><main>",
        f"<h1>评测报告　<span class='badge {cls}'>门禁{_e(word)}</span></h1>",
        "<div class='meta'>"
        f"回答方式：{_e(summary['provider'])}（{_e(summary.get('model', ''))}）　·　"
        f"论点支持评审：{_e(summary['judge'].get('label', summary['judge'].get('kind')))}<br>"
        f"时间：{_e(summary['created'])}　·　总用时 {summary['seconds']:.0f} 秒"
        + (f"　·　每套件最多 {summary['limit']} 例（抽样）" if summary.get("limit") else "")
        + f"<br>数据划分：{_e(_split_word(summary))}"
        + (f"　·　代码版本 {_e(summary['git'])}" if summary.get("git") else "")
        + "</div>",
        f"<div class='guide'>{_e(GUIDE)}</div>",
    ]
    if gate.get("regressions"):
        items = "".join(
            f"<li><b>{_e(r['label'])}</b>（{_e(r['group'] or r['suite'])}）：基线 {_e(fmt(r['baseline'], r['unit']))} → "
            f"本次 {_e(fmt(r['current'], r['unit']))}，超出容差 {_e(r['tolerance'])}</li>"
            for r in gate["regressions"]
        )
        parts.append(f"<div class='card bad'><b>退步项（导致门禁未通过）</b><ul>{items}</ul></div>")
    elif gate.get("exists"):
        parts.append(
            "<div class='card'>与基线相比，所有门禁指标都在容差内（比率类允许下降 3 个百分点，数量类允许变差 10%）。</div>"
        )
    for note in gate.get("notes", []):
        parts.append(f"<p class='legend'>注：{_e(note)}</p>")
    for suite, r in summary["suites"].items():
        fails = [c for c in r["cases"] if not c.get("ok")]
        parts.append(
            f"<h2>{_e(r['title'])}　<span class='meta'>{r['n']} 例 · {r['seconds']:.0f} 秒</span></h2>"
        )
        parts.append(f"<p>{_e(r.get('intro', ''))}</p>")
        if suite == "retrieval":
            parts.append(_retrieval_table(suite, r, base))
        else:
            cards = "".join(_card(m, base.get((suite, k))) for k, m in r["metrics"].items())
            parts.append(f"<div class='cards'>{cards}</div>")
        parts.append(html_split_table(suite, r))
        for title, table in (r.get("breakdown") or {}).items():
            parts.append(_breakdown_html(title, table))
        parts.append(f"<h3>未通过的用例（{len(fails)}）</h3>")
        if fails:
            parts.append(
                "<p class='legend'>点开每一条可以看到问题、系统的回答和它检索到的资料（第一条已展开作示例）。</p>"
            )
            parts += [_failure_html(suite, c, open_=i == 0) for i, c in enumerate(fails)]
        else:
            parts.append("<p>全部通过。</p>")
        parts.append(r.get("cases_html") or _case_table(suite, r["cases"]))  # a suite may lay out its own
    parts.append(
        "<p class='legend'>图例：彩色横条为本次成绩（绿 ≥90%，橙 ≥70%，红 &lt;70%），黑色竖线为基线；"
        "“门禁”标记的指标参与发布把关，“评审”标记的指标依赖论点支持评审方式。</p>"
    )
    parts.append("</main></body></html>")
    return "\n".join(parts)


def write_reports(summary: dict[str, Any], md_path: Path, html_path: Path) -> None:
    md_path.write_text(to_markdown(summary), encoding="utf-8")
    html_path.write_text(to_html(summary), encoding="utf-8")
