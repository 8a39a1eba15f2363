"""Answers from the real local model (llama.cpp) and from a real OpenAI-compatible server
(llama_cpp.server on loopback). Slow: they run the 1.5B model on the CPU."""

from __future__ import annotations

from pathlib import Path

import pytest

from advisor.generation.local_chat import ChatLocalWorker
from advisor.qa.answer import prime_local_model
from advisor.service import Advisor
from advisor.settings import PROJECT_ROOT, Settings
from advisor.types import Answer
from advisor.verify.citations import verbatim_span

IN_CORPUS = [
    "地方政府怎样用产业基金招引成熟AI企业？",
    "深度合成服务提供者应当履行哪些义务？",
    "资本介入环节地方政府应该怎么做？",
]


def _valid(adv: Advisor, ans: Answer) -> None:
    assert ans.citations, ans.text
    for c in ans.citations:
        assert verbatim_span(c.quote, adv.snapshot.chunks[c.chunk_id].text) is not None


@pytest.fixture(scope="module")
def local_advisor(corpus_data_dir: Path, gguf: Path) -> Advisor:
    settings = Settings(
        data_dir=corpus_data_dir, corpus_dir=PROJECT_ROOT / "corpus", llm_model=str(gguf), local_timeout_s=900
    )
    return Advisor(settings=settings)


@pytest.mark.slow
@pytest.mark.parametrize("question", IN_CORPUS)
def test_local_model_answers_in_corpus_questions_with_valid_citations(
    local_advisor: Advisor, question: str
) -> None:
    ans = local_advisor.ask(question, provider="local")
    assert ans.grounded, ans.text
    _valid(local_advisor, ans)
    print(
        f"\n{question} provider={ans.provider} notice={ans.notice!r} timings={ans.timings} tokens={ans.tokens}"
    )


@pytest.mark.slow
def test_primed_prefix_is_reused_by_the_next_answer(local_advisor: Advisor) -> None:
    """The answer prompt starts with the tokens :func:`prime_local_model` evaluated, so llama.cpp's
    prefix match skips them (it compares exactly these input ids)."""
    prime_local_model(local_advisor.provider("local").chat_model())
    model = local_advisor.llm("local")
    assert isinstance(model, ChatLocalWorker)
    primed = model.cached_tokens()
    assert len(primed) > 150  # system prompt and output rules, not a token or two
    keep = primed[:-8]  # the primed call's own end-of-turn and assistant header differ
    ans = local_advisor.ask("资本介入环节地方政府应该怎么做？", provider="local")
    assert ans.grounded, ans.text  # grounded → the model was called (whatever verification made of it)
    assert model.cached_tokens()[: len(keep)] == keep


@pytest.mark.slow
def test_local_model_refuses_out_of_corpus(local_advisor: Advisor) -> None:
    ans = local_advisor.ask("合肥市2024年人工智能产业规模是多少亿元？", provider="local")
    assert not ans.grounded and not ans.citations


@pytest.mark.slow
@pytest.mark.integration
def test_openai_provider_against_a_real_server(corpus_data_dir: Path, llama_server: str) -> None:
    settings = Settings(
        data_dir=corpus_data_dir,
        corpus_dir=PROJECT_ROOT / "corpus",
        llm_provider="openai",
        llm_base_url=llama_server,
        llm_model="qwen",
        llm_timeout_s=900,
    )
    adv = Advisor(settings=settings)
    ans = adv.ask(IN_CORPUS[2])
    assert ans.grounded
    _valid(adv, ans)
    print(f"\nopenai provider={ans.provider} notice={ans.notice!r} timings={ans.timings}")
