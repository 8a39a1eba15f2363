"""English words outside the glossary: the CC-CEDICT dictionary and how the answerability check uses it."""

from __future__ import annotations

import pytest

from advisor.index.keyword import KeywordIndex, tokenize
from advisor.retrieval.dictionary import english_words, known_renderings, renderings
from advisor.retrieval.grounding import assess
from advisor.retrieval.hybrid import english_renderings
from advisor.service import Advisor


def test_dictionary_gives_exact_senses_of_two_or_more_characters() -> None:
    assert "原则" in renderings("principles")  # plural → the stem's senses
    assert "篡改" in renderings("tamper")  # "to tamper with" → tamper
    assert "分水岭" in renderings("watershed")
    assert all(len(z) >= 2 for w in ("public", "new", "fund") for z in renderings(w))
    assert renderings("zzzqx") == ()


@pytest.mark.integration
def test_english_words_stand_for_their_chinese_in_the_evidence(corpus_advisor: Advisor) -> None:
    kw = corpus_advisor.snapshot.keyword
    # a rendering present in the evidence is the term; a name the dictionary lacks must occur as written
    assert english_words(["principles"], kw, "处理公共数据应当遵循以下原则") == ["原则"]
    assert english_words(["Wuhuzz"], kw, "任何文字") == ["wuhuzz"]
    assert english_words(["gorp"], kw, "任何文字") == []  # unknown lower-case word: no evidence either way


@pytest.mark.integration
@pytest.mark.parametrize(
    "question",
    [
        "Who must label AI-generated content, and may anyone remove or tamper with the labels?",
        "What principles must deep synthesis service providers follow?",
    ],
)
def test_plain_english_questions_about_the_corpus_are_grounded(
    corpus_advisor: Advisor, question: str
) -> None:
    hits = corpus_advisor.retrieve(question, k=8)
    g = assess(question, hits, corpus_advisor.snapshot.keyword)
    assert g.grounded, (g.coverage, g.missing)


@pytest.mark.integration
@pytest.mark.parametrize(
    "question",
    [
        "What is the registered capital of the Jiazi Guangnian company?",
        "How much compute subsidy does Wuhuzz city pay per petaflop?",
    ],
)
def test_english_questions_outside_the_corpus_are_refused(corpus_advisor: Advisor, question: str) -> None:
    hits = corpus_advisor.retrieve(question, k=8)
    assert not assess(question, hits, corpus_advisor.snapshot.keyword).grounded


@pytest.mark.integration
def test_an_article_must_exist_in_the_document_the_question_names(corpus_advisor: Advisor) -> None:
    """北京市数字经济促进条例 ends before 第六十一条, which 深圳 and 浙江 have: asking for it is a miss."""
    from pathlib import Path

    policies = Path(__file__).parents[2] / "corpus" / "policies"
    beijing = next(policies.glob("09-*.md")).read_text(encoding="utf-8")
    others = [next(policies.glob(f"{n}-*.md")).read_text(encoding="utf-8") for n in ("08", "10")]
    assert "第六十一条" not in beijing and all("第六十一条" in t for t in others)
    kw = corpus_advisor.snapshot.keyword
    for article, grounded in (("第六十一条", False), ("第十条", True)):
        question = f"北京市数字经济促进条例{article}规定了什么？"
        g = assess(question, corpus_advisor.retrieve(question, k=8), kw)
        assert g.grounded is grounded, (article, g)


def test_an_english_question_is_embedded_with_its_chinese_terms(corpus_advisor: Advisor) -> None:
    from advisor.retrieval.hybrid import _dense_query

    snap = corpus_advisor.snapshot
    q = "What principles must deep synthesis service providers follow?"
    dense = _dense_query(q, snap)
    assert dense.startswith(q) and "深度合成" in dense and "原则" in dense
    assert (
        _dense_query("深度合成服务提供者应当遵守哪些原则？", snap) == "深度合成服务提供者应当遵守哪些原则？"
    )


@pytest.mark.integration
def test_an_english_name_of_a_document_picks_the_document_not_its_preamble(corpus_advisor: Advisor) -> None:
    # "labelling AI-generated content" renders as a run of the measures' title: it names the document,
    # so the sentence that answers (what a label is) leads, not the one that repeats the title's words
    answer = corpus_advisor.ask(
        "Under the rules on labelling AI-generated content, what separates visible labels from hidden ones?"
    )
    assert "标识是指" in answer.conclusion, answer.conclusion


def test_british_spellings_and_adverbs_are_read_as_their_base_word() -> None:
    """CC-CEDICT glosses in American spelling and in base forms: organised, licence, nationally and
    explicitly are found through organize, license, national and explicit."""
    from advisor.retrieval.dictionary import renderings

    assert "组织" in renderings("organised")
    assert "执照" in renderings("licence")
    assert "全国" in renderings("nationally")
    assert "明确" in renderings("explicitly")
    assert renderings("organized") and not renderings("qwertyly")


def _index(*texts: str) -> KeywordIndex:
    return KeywordIndex(
        [f"t{i}" for i in range(len(texts))], [tokenize(t) for t in texts], [{} for _ in texts]
    )


def test_a_noun_whose_senses_no_text_uses_stands_for_its_verb() -> None:
    kw = _index("以欺骗手段取得许可的，予以撤销。", "其他单位依法办理。")
    assert "欺骗" not in renderings("deception")  # CC-CEDICT's own senses of the noun (诈欺 …) …
    assert known_renderings("deception", kw)[0] == "欺骗"  # … are unused here: deceive's are
    assert known_renderings("zzzqxion", kw) == []


def test_an_adjective_stands_for_its_noun_and_a_negated_word_for_its_negated_stem() -> None:
    """organizational is found through organization (组织); inaccurate as the corpus writes it, 不准确;
    unlawful never as its stem's 合法 when the corpus has no 不合法; informal is no form of inform."""
    texts = ("个人数据不准确或者不完整的，应当更正。", "采取公司制组织形式。", "依法合法处理，及时通知。")
    kw = _index(*texts)
    kw.attach_texts(texts)
    assert "组织" in known_renderings("organizational", kw)
    assert known_renderings("inaccurate", kw) == ["不准确"]
    assert known_renderings("unlawful", kw) == []
    assert "通知" not in known_renderings("informal", kw)


def test_a_rendering_the_retrieved_passages_use_comes_first() -> None:
    kw = _index("证券公司和证券市场。", "证券交易。", "颁发证书。")
    assert known_renderings("certificate", kw)[0] == "证券"  # the commoner word by itself …
    assert (
        known_renderings("certificate", kw, "取得证书的企业")[0] == "证书"
    )  # … not where the evidence says 证书
    assert english_renderings("Who holds the certificate?", kw, "取得证书的企业") == ["证书"]
