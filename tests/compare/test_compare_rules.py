"""Rules of the comparison that need no index: which breadcrumb parts name an article, how a quote takes
in the sentence a measure goes on in, how a clause naming the topic in passing only fills a cell, and
what counts as one unit in a text without article numbers. The sentences are made up."""

from __future__ import annotations

from advisor.compare.articles import _section_articles
from advisor.compare.choose import PASSING
from advisor.compare.choose import diverse as _diverse
from advisor.compare.choose import same as _same
from advisor.compare.measures import _best_sentence
from advisor.compare.topics import topic
from advisor.render.compare_types import Measure


def _m(quote: str, article: str = "第一条", chunk: str = "c1", doc: str = "d1") -> Measure:
    return Measure(
        region="某市", topic="人才", action=quote[:10], quote=quote, doc_id=doc, title="某条例",
        article=article, chunk_id=chunk,
    )  # fmt: skip


def test_a_breadcrumb_names_its_own_articles_not_those_an_item_cites() -> None:
    assert _section_articles("第二章 数据权益 > 第一节 一般规定 > 第十六条") == ["第十六条"]
    assert _section_articles("第二章 > 第十四条～第十五条") == ["第十四条", "第十五条"]
    # an item of a liability article that cites another article is no part of that article
    assert _section_articles("第九章 法律责任 > （一）未按照本条例第十六条第二款规定收集数据的；") == []
    assert _section_articles("") == []


def test_a_measure_going_on_in_the_next_sentence_is_quoted_with_it() -> None:
    """In a text without article numbers; a numbered article's quote stays one sentence (its number
    tells the reader where the rest is)."""
    t = topic("人才")
    text = "本市加强人才引进工作，建立人才服务机制。对引进的人才给予住房保障。本条例由市政府解释。"
    start, end = _best_sentence(t, text)
    assert text[start:end] == "本市加强人才引进工作，建立人才服务机制。对引进的人才给予住房保障。"
    start, end = _best_sentence(t, text, widen=False)
    assert text[start:end] == "本市加强人才引进工作，建立人才服务机制。"
    # … but never beyond a short quote, and never a sentence on something else
    long = "本市加强人才引进工作，建立人才服务机制。" + "对引进的人才" + "给予支持，" * 40 + "提供保障。"
    start, end = _best_sentence(t, long)
    assert long[start:end] == "本市加强人才引进工作，建立人才服务机制。"


def test_a_passing_mention_only_fills_a_cell() -> None:
    strong, weak = _m("建立人才服务机制。", "第一条"), _m("并做好人才工作。", "第二条")
    assert _diverse([(10.0, strong, frozenset()), (PASSING, weak, frozenset())], 3) == [strong, weak]
    # passing mentions alone make no measure: the cell stays empty
    assert _diverse([(PASSING, weak, frozenset())], 3) == []
    # and never push out a clause about the topic
    others = [(9.0 - i, _m(f"人才措施{i}。" * 3, f"第{n}条"), frozenset()) for i, n in enumerate("三四五")]
    chosen = _diverse([(10.0, strong, frozenset()), *others, (PASSING, weak, frozenset())], 3)
    assert weak not in chosen and len(chosen) == 3


def test_paragraphs_of_a_text_without_articles_are_units_of_their_own() -> None:
    heading = "数字中国建设整体布局规划"
    a = _m("一是加强人才培养。", heading, chunk="c1")
    b = _m("二是优化人才评价。", heading, chunk="c2")
    assert not _same(a, b)
    # an article or an item is one unit, whichever chunk its quote comes from
    assert _same(_m("建立人才机制。", "第五条", "c1"), _m("给予住房保障。", "第五条", "c2"))
    item = "（十二）加强人才队伍建设"
    assert _same(_m("推进全学段教育。", item, "c1"), _m("完善评价体系。", item, "c2"))
