"""The rest of the head's article: a regulation's condition and its consequence are quoted together."""

from __future__ import annotations

from advisor.qa.article_rest import article_span, rest_of_article
from advisor.service import Advisor
from advisor.types import Hit

TEXT = (
    "第二十六条 本省建立高新技术企业认定制度。认定工作由省科学技术主管部门组织。\n"
    "第二十七条 企业采取欺骗手段骗取认定证书的，由认定部门取消其资格。"
    "已经享受的税收优惠，由税务机关予以追回。情节严重的，五年内不再受理其申请。\n"
    "第二十八条 在项目立项中采取欺骗手段的，取消该项目。\n"
)


def _hit(section: str = "第四章 法律责任 > 第二十六条") -> Hit:
    return Hit(chunk_id="c", doc_id="d", title="某条例", section=section, text=TEXT, score=1.0)


def test_the_sentences_after_the_head_in_its_article_come_first_and_no_other_article() -> None:
    head = "企业采取欺骗手段骗取认定证书的，由认定部门取消其资格。"
    rest = rest_of_article(_hit(), head, [head])
    assert rest == ["已经享受的税收优惠，由税务机关予以追回。", "情节严重的，五年内不再受理其申请。"]
    assert not any("第二十八条" in s or "第二十六条" in s for s in rest)


def test_a_sentence_before_the_head_follows_and_taken_ones_are_skipped() -> None:
    head = "情节严重的，五年内不再受理其申请。"
    taken = [head, "已经享受的税收优惠，由税务机关予以追回。"]
    assert rest_of_article(_hit(), head, taken) == [
        "第二十七条 企业采取欺骗手段骗取认定证书的，由认定部门取消其资格。"
    ]


def test_outside_an_article_the_sentences_around_the_head_in_its_paragraph_are_its_rest() -> None:
    plan = (
        "（一）加强算力建设。统筹布局智能计算中心。推动算力互联互通。有序发展边缘算力。\n"
        "（二）开放数据资源。建立公共数据开放清单。"
    )
    hit = Hit(chunk_id="p", doc_id="d", title="某规划", section="三、重点任务", text=plan, score=1.0)
    assert article_span(hit, 5) is None
    # the one before and the one after, in text order; never past the paragraph, never a taken one
    assert rest_of_article(hit, "推动算力互联互通。", []) == ["统筹布局智能计算中心。", "有序发展边缘算力。"]
    assert rest_of_article(hit, "有序发展边缘算力。", []) == ["推动算力互联互通。"]
    assert rest_of_article(hit, "推动算力互联互通。", ["有序发展边缘算力。"]) == ["统筹布局智能计算中心。"]
    # a chunk that goes on with its breadcrumb's article belongs to that article up to the next one
    cont = Hit(
        chunk_id="k",
        doc_id="d",
        title="某条例",
        section="第二章 > 第九条",
        text="其余部分。\n第十条 下一条。",
        score=1.0,
    )
    assert article_span(cont, 0) == (0, cont.text.index("第十条"))


def test_an_answer_on_a_regulation_quotes_the_rest_of_the_head_article(corpus_advisor: Advisor) -> None:
    """Real corpus: the article that answers goes on past its head sentence; the answer quotes more of
    that article, each quote verbatim in its chunk."""
    answer = corpus_advisor.ask(
        "网信部门发现深度合成服务有较大信息安全风险时，可以要求服务提供者做什么？", provider="extractive"
    )
    assert answer.grounded
    head = answer.citations[0]
    snap = corpus_advisor.snapshot
    chunk = snap.chunks[head.chunk_id].text
    span = article_span(snap.hit(head.chunk_id), chunk.find(head.quote))
    assert span is not None and head.section.split(" > ")[-1].endswith("条")
    same_article = [
        c for c in answer.citations[1:] if c.chunk_id == head.chunk_id and c.section == head.section
    ]
    assert same_article
    assert all(span[0] <= chunk.find(c.quote) < span[1] for c in same_article)
