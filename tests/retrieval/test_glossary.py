"""English and mixed-language questions over the Chinese corpus: the glossary's translation, query
expansion for BM25, and answerability of English questions."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from advisor.retrieval import glossary
from advisor.retrieval.glossary import (
    chinese_terms,
    expand_query,
    split_question,
    stem,
    translate_terms,
    untranslated_words,
)
from advisor.service import Advisor
from advisor.settings import PROJECT_ROOT

YAML = Path(glossary.__file__).with_name("glossary.yaml")


def test_phrases_longest_first_and_case_insensitive() -> None:
    q = "What do the INTERIM MEASURES for the Management of Generative AI Services say?"
    assert translate_terms(q) == ["生成式人工智能服务管理暂行办法"]
    assert translate_terms("generative AI") == ["生成式人工智能"]
    assert translate_terms("AI") == ["人工智能"]


def test_plural_ing_ed_normalisation() -> None:
    assert translate_terms("industry funds") == ["产业基金"]
    assert translate_terms("Labelling and labeled content") == ["标识"]
    assert "算力" in translate_terms("computing power requirements")
    assert stem("funds") == stem("fund") == stem("funding")
    assert stem("policies") == stem("policy")


def test_function_words_ignored_unknown_words_reported() -> None:
    assert translate_terms("What does it say about the?") == []
    assert untranslated_words("What does the report say about Jiazi Guangnian Ltd?") == ["Ltd"]
    assert untranslated_words("what is that") == []


def test_mixed_language_keeps_chinese() -> None:
    q = "深圳 AI regulations 对 computing power 有什么规定"
    assert translate_terms(q) == ["人工智能", "条例", "算力"]
    assert translate_terms("地方政府如何培育专精特新企业？") == []
    rest, terms, plain = split_question(q, lambda t: True)
    assert "深圳" in rest and "有什么规定" in rest and not re.search(r"[A-Za-z]", rest)
    assert terms == ["人工智能", "条例", "算力"] and plain == []
    assert split_question("地方政府如何培育专精特新企业？", lambda t: True) == (
        "地方政府如何培育专精特新企业？",
        [],
        [],
    )


def test_to_chinese_prefers_the_rendering_present_in_evidence() -> None:
    assert split_question("fund", lambda t: t == "资金")[1] == ["资金"]
    assert split_question("fund", lambda t: False)[1] == ["基金"]
    assert split_question("registered capital of Jiazi Ltd", lambda t: True)[1:] == (
        ["注册资本", "甲子光年"],
        ["Ltd"],
    )


def test_expand_query_appends_chinese_for_bm25() -> None:
    assert expand_query("industry funds") == "industry funds 产业基金"
    assert expand_query("产业基金") == "产业基金"


def test_glossary_chinese_terms_come_from_the_corpus() -> None:
    raw = yaml.safe_load(YAML.read_text("utf-8"))
    corpus = "".join(
        p.read_text("utf-8")
        for p in (PROJECT_ROOT / "corpus").rglob("*")
        if p.suffix in (".md", ".txt") and p.name != "README.md"
    )
    absent = {z for zh in raw["terms"].values() for z in zh if z not in corpus}
    assert absent <= set(raw["absent_ok"]), absent - set(raw["absent_ok"])
    assert 200 <= len(raw["terms"]) <= 1000


def test_english_question_answered_absent_subject_refused(corpus_advisor: Advisor) -> None:
    ans = corpus_advisor.ask("What does the report say local governments should do with industry funds?")
    assert ans.grounded, ans.text
    assert ans.citations and re.search(r"\[\d+\]", ans.text)
    hits = corpus_advisor.retrieve("industry funds", k=5, mode="keyword")
    assert hits and any("基金" in h.text for h in hits)
    refused = corpus_advisor.ask("What is the registered capital of Jiazi Guangnian Ltd?")
    assert not refused.grounded, refused.text


def test_a_key_term_jieba_splits_into_generic_words_stays_a_term() -> None:
    from advisor.retrieval.grounding import question_terms

    assert "智能体" in chinese_terms()
    assert "智能体" in question_terms("园区里做智能体的团队能申请什么？")  # 智能 + 体: generic, one character
    assert "具身智能" not in question_terms("具身智能有哪些标准？")  # 具身 already stands for it


def test_every_function_word_is_read_as_a_word() -> None:
    """YAML reads a bare on / no / yes as a boolean: such a function word would never be ignored (a
    question's "on" then stood for 事关 in a refusal's reason)."""
    raw = yaml.safe_load(
        (PROJECT_ROOT / "advisor" / "retrieval" / "glossary.yaml").read_text(encoding="utf-8")
    )
    assert all(isinstance(w, str) for w in raw["function_words"])
    _, untranslated = glossary.glossary().match("a report on data, yes or no")
    assert "on" not in untranslated and "yes" not in untranslated and "no" not in untranslated
    # "new" stems like "news" (信息): a modifier, not the news
    assert "new" not in glossary.glossary().match("the new AI era")[1]


def test_an_operator_is_the_texts_operating_body_not_a_math_operator() -> None:
    found, _ = glossary.glossary().match("Who may the exchange operator pay compensation to?")
    rendered = {en: zh for en, zh in found}
    assert "运营机构" in rendered["operator"] and "算子" not in rendered["operator"]
    assert "赔偿" in rendered["compensation"]
