"""The test split stays blind: no code or data under ``advisor/`` or ``prompts/`` may contain a test
question's distinctive wording (an 8-character CJK or 5-word English n-gram of the question that the
corpus itself does not contain). And the checker can fail: a planted leak is found, a corpus phrase is not.
"""

from __future__ import annotations

import json
from pathlib import Path

from advisor.evals.datasets import DATASETS_DIR, FILES
from advisor.evals.leak import Haystack, corpus_text, distinctive_ngrams, find_leaks
from advisor.settings import PROJECT_ROOT

CORPUS_DIR = PROJECT_ROOT / "corpus"
SCANNED = [PROJECT_ROOT / "advisor", PROJECT_ROOT / "prompts"]


def blind_questions(datasets_dir: Path = DATASETS_DIR) -> dict[str, str]:
    """case id → question of every test-split line (plans have no question wording)."""
    out: dict[str, str] = {}
    for name in ("retrieval", "answers", "out_of_corpus"):
        for line in (datasets_dir / FILES[name]).read_text(encoding="utf-8").splitlines():
            if line.strip():
                case = json.loads(line)
                if case.get("split") == "test":
                    out[case["id"]] = case["question"]
    return out


def test_no_test_question_wording_in_code_or_prompts() -> None:
    questions = blind_questions()
    assert len(questions) > 300, "the test split should hold about half of the questions"
    leaks = find_leaks(questions, corpus_text(CORPUS_DIR), SCANNED)
    shown = "\n".join(f"  {x.path}: {x.case_id} “{x.ngram}”" for x in leaks[:20])
    assert not leaks, (
        "test-split wording found in advisor/ or prompts/ — tune only on dev questions, and write rules "
        f"that do not quote questions:\n{shown}"
    )


def test_distinctive_ngrams_skip_phrases_copied_from_the_corpus() -> None:
    corpus = Haystack.of(
        "第二十四条 本办法自2023年8月15日起施行。深度合成服务提供者 provides labels for users"
    )
    grams = distinctive_ngrams("请问深度合成服务提供者到底要做哪些事情？", corpus)
    assert "深度合成服务提供" not in grams  # copied from the corpus
    assert "提供者到底要做哪些" not in grams  # 9 characters: only 8-grams are used
    assert "者到底要做哪些事情" not in grams
    assert "到底要做哪些事情" in grams
    english = distinctive_ngrams("Which labels must the provider show to users?", corpus)
    assert "which labels must the provider" in english
    assert not any("provides labels for users" in g for g in english)


def test_checker_finds_a_planted_leak(tmp_path: Path) -> None:
    corpus = "第十二条 提供者应当按照《互联网信息服务深度合成管理规定》对图片、视频等生成内容进行标识。"
    questions = {
        "a900": "大模型公司给图片打水印到底要依照哪部规定来操作？",
        "a901": "Which rule tells generative AI providers how to label pictures and videos?",
    }
    code = tmp_path / "advisor"
    (code / "qa").mkdir(parents=True)
    (code / "qa" / "clean.py").write_text(
        '# 依照《互联网信息服务深度合成管理规定》进行标识\nPATTERN = "标识"\n', encoding="utf-8"
    )
    assert find_leaks(questions, corpus, [code]) == []  # corpus phrases are not distinctive

    (code / "qa" / "rules.py").write_text(
        'HINTS = {"给图片打水印到底要依照": "第十二条"}\n', encoding="utf-8"
    )
    (code / "data.yaml").write_text(
        "examples:\n  - tells generative AI providers how to label\n", encoding="utf-8"
    )
    (code / "__pycache__").mkdir()
    (code / "__pycache__" / "rules.md").write_text("给图片打水印到底要依照\n", encoding="utf-8")
    leaks = find_leaks(questions, corpus, [code])
    found = {(Path(x.path).name, x.case_id) for x in leaks}
    assert found == {("rules.py", "a900"), ("data.yaml", "a901")}
    assert any(x.ngram == "图片打水印到底要" for x in leaks)
    assert any(x.ngram == "tells generative ai providers how" for x in leaks)


def test_a_documents_english_name_is_not_distinctive_other_english_is() -> None:
    """The glossary's English name of a corpus title is the document's name, like its Chinese title; any
    other five English words a question writes stay distinctive."""
    corpus = Haystack.of(corpus_text(CORPUS_DIR))
    question = "What does the 14th Five-Year Plan for the Digital Economy say about rural broadband towers?"
    grams = distinctive_ngrams(question, corpus)
    assert "plan for the digital economy" not in grams
    assert "say about rural broadband towers" in grams


def test_english_words_with_chinese_between_them_are_no_phrase(tmp_path: Path) -> None:
    questions = {"a902": "What does the people's congress standing committee decide on data rules?"}
    code = tmp_path / "advisor"
    code.mkdir()
    (code / "glossary.yaml").write_text(
        "  people's congress: [人民代表大会]\n  standing committee: [常务委员会]\n", encoding="utf-8"
    )
    assert find_leaks(questions, "第一条 数据。", [code]) == []  # two entries, not the question's phrase
    (code / "notes.md").write_text("the people's congress\nstanding committee decide\n", encoding="utf-8")
    assert {x.case_id for x in find_leaks(questions, "第一条 数据。", [code])} == {"a902"}  # wrapped text is
