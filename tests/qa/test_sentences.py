"""Which extractive sentences may become 建议 (advice with an actor), which only 要点, and which neither;
and questions about a document itself, answered from its title page."""

from __future__ import annotations

import pytest

from advisor.qa.sentences import (
    advice_actor,
    cover_page,
    is_heading,
    located,
    paragraph_title,
    rank_sentences,
    repeats_heading,
    title_of,
    unfit,
    without_document_names,
)
from advisor.qa.title_page import signature_blocks
from advisor.retrieval.asks import about_document, ask_kind
from advisor.service import Advisor
from advisor.text import chinese_numeral
from advisor.types import Hit


def _hit(level: str = "think-tank", title: str = "地方政府培育人工智能产业的策略建议") -> Hit:
    return Hit(chunk_id="c", doc_id="d", title=title, section="", text="", score=1.0, meta={"level": level})


@pytest.mark.parametrize(
    ("sentence", "level", "actor"),
    [
        (
            "地方政府可根据当地产业特色设立专项扶持基金，鼓励引进符合当地产业特色的企业入驻。",
            "think-tank",
            "地方政府",
        ),
        # the report addresses local governments: its directives without a subject are theirs
        (
            "以产业基金为抓手，构建出具有地方区域特色的人工智能产业全生命周期投促孵化模式。",
            "think-tank",
            "地方政府",
        ),
        # an actor named later in the clause is its object, not who acts
        (
            "聚焦成长期末期、成熟期的企业进行重点招商，以投资促引进模式，吸引企业入驻；",
            "think-tank",
            "地方政府",
        ),
        ("县级以上人民政府应当将人工智能产业发展纳入国民经济和社会发展规划。", "city", "县级以上人民政府"),
    ],
)
def test_directives_with_an_actor_are_advice(sentence: str, level: str, actor: str) -> None:
    assert advice_actor(sentence, _hit(level)) == actor


@pytest.mark.parametrize(
    "sentence",
    [
        "4.3 发挥产业+投资的牵引作用：全生命周期投促孵化模式",  # heading
        "小微型专精特新企业评估关键要素  技术 30%  产品服务 20%  商业模式 15%",  # table row
        "政府方，主要包括国家级政府机构和地方政府机构。",  # definition
        "本办法所称深度合成技术，是指利用深度学习生成文本图像的技术。",  # definition
        "欢迎关注甲子光年微信公众号，联系电话 010-12345678。",  # contact line
        "构建地方特色人工智能产业培育方法论 宋涛 甲子光年智库院长 2023 . 08",  # title line
        "人工智能产业链由基础层、技术层和应用层构成。",  # a fact, not a directive
        # what a body is, though its duties then name an act (履行建设…的职责)
        "管理委员会是示范区的管理机关，履行建设示范区的职责，统筹推进各项工作。",
    ],
)
def test_headings_rows_definitions_contacts_titles_and_facts_are_not_advice(sentence: str) -> None:
    assert advice_actor(sentence, _hit("city")) == ""


def test_policy_directive_without_an_actor_is_not_advice() -> None:
    assert advice_actor("加快推进算力基础设施建设，提升算力供给能力。", _hit("national")) == ""


def test_unfit_lines_are_never_shown_as_points() -> None:
    assert unfit("Part 04 地方政府培育AI产业四项具体举措", _hit())
    assert not unfit("在新一代人工智能产业体系中主要包括五个核心角色，分别是供给方、需求方。", _hit())
    # a numbered section's heading is one; an enumerated item that says something is not
    assert unfit("（一）发展现状。", _hit())
    assert unfit("（三）加快培育新业态新模式", _hit())
    assert not unfit("（一）采取集中竞价、做市商等集中交易方式进行交易；", _hit())
    assert not unfit("（二）未经委托，以交易主体名义开展交易活动；", _hit())


@pytest.mark.parametrize(
    ("question", "kind", "document"),
    [
        ("这份策略建议报告的作者是谁，什么时候发布的？", "date", True),
        ("《生成式人工智能服务管理暂行办法》是哪个部门发布的？", "who", True),
        ("中型专精特新企业评估中，商业模式的权重是多少？", "number", False),
        ("Who wrote the report and when was it published?", "date", True),
        ("地方政府怎样用产业基金招引成熟AI企业？", "other", False),
    ],
)
def test_what_a_question_asks_for(question: str, kind: str, document: bool) -> None:
    assert ask_kind(question) == kind
    assert about_document(question) is document


def test_a_document_question_is_answered_from_its_title_page(corpus_advisor: Advisor) -> None:
    answer = corpus_advisor.ask("这份策略建议报告的作者是谁，什么时候发布的？")
    assert answer.grounded
    quotes = " ".join(c.quote for c in answer.citations)
    assert "宋涛" in quotes and "2023" in quotes.replace(" ", "")
    # every quote is the document's own text (an independent check, not the production matcher)
    for c in answer.citations:
        chunk = corpus_advisor.snapshot.chunks[c.chunk_id].text
        assert "".join(c.quote.split()) in "".join(chunk.split())


def test_an_english_question_on_which_bodies_issued_a_text_and_when_gets_both(
    corpus_advisor: Advisor,
) -> None:
    """A count before the noun (which four government bodies) still asks who issued it: the issuing
    bodies are quoted beside the date, each part of the English question answered."""
    answer = corpus_advisor.ask(
        "Which four government bodies jointly issued the 2024 AI industry standardization system guide, "
        "and on what date?"
    )
    assert answer.grounded, answer.text
    quotes = "".join(c.quote for c in answer.citations).replace(" ", "")
    for body in (
        "工业和信息化部",
        "中央网络安全和信息化委员会办公室",
        "国家发展和改革委员会",
        "国家标准化管理委员会",
    ):
        assert body in quotes, body
    assert "2024年6月5日" in quotes


def test_a_title_page_without_a_record_of_amendment_says_nothing_of_a_successor(
    corpus_advisor: Advisor,
) -> None:
    """深圳人工智能产业促进条例's title page records its adoption in 2022 and nothing since: asked whether it
    was revised or replaced, the adoption line is no answer."""
    answer = corpus_advisor.ask("深圳经济特区人工智能产业促进条例后来修订过吗？现在是不是被新法规取代了？")
    assert not answer.grounded, answer.text
    assert corpus_advisor.ask("深圳经济特区人工智能产业促进条例是哪次会议通过的？").grounded


def test_extractive_advice_is_only_directives(corpus_advisor: Advisor) -> None:
    answer = corpus_advisor.ask("地方政府怎样用产业基金招引成熟AI企业？")
    assert answer.recommendations
    for rec in answer.recommendations:
        assert rec.actor, rec
        assert "**建议**" in answer.text


@pytest.mark.parametrize(
    ("question", "stem", "fact"),
    [
        ("深度合成管理规定的施行日期是哪天？", "05-deep-synthesis", r"自(\d{4}年\d{1,2}月\d{1,2}日)起施行"),
        ("算法推荐管理规定从哪天起生效？", "07-algorithmic", r"自(\d{4}年\d{1,2}月\d{1,2}日)起施行"),
    ],
)
def test_the_effective_date_comes_from_the_sentence_that_states_it(
    corpus_advisor: Advisor, question: str, stem: str, fact: str
) -> None:
    """The date a document takes effect is often only in its last article, not on its title page."""
    import re
    from pathlib import Path

    source = next((Path(__file__).parents[2] / "corpus" / "policies").glob(f"{stem}*.md"))
    expected = re.search(fact, source.read_text(encoding="utf-8"))
    assert expected, "the corpus text states the date"
    answer = corpus_advisor.ask(question)
    assert answer.grounded and expected.group(1) in answer.text


def test_a_documents_name_does_not_rank_its_sentences() -> None:
    """The question names the regulation (in short); its preamble repeats the name, the answer does not."""
    title = "某某国家自主创新示范区条例"
    text = (
        "第二条 某某国家自主创新示范区的规划、建设、服务、管理，适用本条例。\n"
        "第十一条 自主创新示范区应当统筹产业布局；优先发展大数据、云计算、人工智能等战略性新兴产业。"
    )
    hit = Hit(chunk_id="c", doc_id="d", title=title, text=text, score=1.0)
    question = "某某示范区条例要求优先发展哪些产业？"
    assert "某某" not in without_document_names(question, [hit])
    assert "优先发展大数据" in rank_sentences(question, [hit])[0][2]
    assert without_document_names("某某示范区条例是什么？", [hit]) == "某某示范区条例是什么？"  # nothing else


def test_a_decks_back_page_is_not_content() -> None:
    text = "4.4 构建服务平台\n\n平台提供全链路服务。\n\nTHANKS\n\n谢 谢\n\n某某科技服务有限公司是一家科技智库，致力于推动人工智能应用。"
    hit = Hit(chunk_id="c", doc_id="d", title="某报告", text=text, score=1.0, meta={"level": "think-tank"})
    assert cover_page("某某科技服务有限公司是一家科技智库，致力于推动人工智能应用。", hit)
    assert not cover_page("平台提供全链路服务。", hit)
    assert advice_actor("某某科技服务有限公司是一家科技智库，致力于推动人工智能应用。", hit) == ""


def test_a_notices_signature_block_names_every_issuer() -> None:
    text = "# 某某局等部门关于印发《某方案》的通知\n\n各区人民政府：\n\n现将《某方案》印发给你们。\n\n某某市人力资源和社会保障局\n\n某某市财政局\n\n某某市经济和信息化局\n\n2024年7月5日\n\n## 某方案"
    hit = Hit(chunk_id="c", doc_id="d", title="某方案", text=text, score=1.0)
    [(_, block)] = signature_blocks([hit])
    assert block.startswith("某某市人力资源和社会保障局") and block.endswith("某某市经济和信息化局")
    assert block in text and "2024年" not in block and "印发给你们" not in block


def test_chinese_numerals_for_articles() -> None:
    assert [chinese_numeral(n) for n in (1, 10, 12, 52, 100, 105, 110, 120)] == [
        "一", "十", "十二", "五十二", "一百", "一百零五", "一百一十", "一百二十",
    ]  # fmt: skip


@pytest.mark.integration
def test_whom_a_notice_was_sent_to_is_its_address_line(corpus_advisor: Advisor) -> None:
    ans = corpus_advisor.ask("人工智能生成合成内容标识办法的通知下发给了哪些部门？", provider="extractive")
    head = ans.citations[0].quote
    assert head.startswith("各省") and head.endswith("：") and "通信管理局" in head


def test_a_slides_label_and_statement_line_is_content_and_a_caption_can_answer() -> None:
    assert not is_heading("明确培育的三大关键角色：政府、企业、高校")
    assert is_heading("3.1 构建培育方法论：关键角色梳理") and is_heading("产业链布局重点关注环节")
    text = "4.1 前瞻布局\n\n新兴技术正在快速发展。\n\n图：三类新兴技术成熟度分布图"
    hit = Hit(chunk_id="c", doc_id="d", title="某报告", text=text, score=1.0)
    assert "三类新兴技术" in rank_sentences("那张分布图涵盖了几类新兴技术？", [hit])[0][2]


def test_everyday_words_rank_sentences_through_their_official_ones() -> None:
    text = "第三条 本市加强数字技能人才培养。第九条 企业应当保障职工参加培训的时间。"
    hit = Hit(chunk_id="c", doc_id="d", title="某方案", text=text, score=1.0)
    assert "职工" in rank_sentences("公司对员工有什么义务？", [hit])[0][2]


def test_a_title_cut_short_never_ends_inside_a_document_name() -> None:
    section = (
        "北京市人力资源和社会保障局等部门关于印发《北京市加快数字人才培育支撑数字经济发展实施方案》的通知"
    )
    hit = Hit(
        chunk_id="c", doc_id="d", title="某方案", section=section, text="现将方案印发给你们。", score=1.0
    )
    assert title_of("现将方案印发给你们。", hit) == "北京市人力资源和社会保障局等部门关于印发"


def test_a_question_about_another_kind_of_document_is_not_answered_by_this_ones_title_page() -> None:
    from advisor.qa.title_page import points_elsewhere

    leaves = "深圳数据条例说具体管理办法由市政府另行制定，该办法是哪天施行的？"
    assert points_elsewhere(leaves, "深圳经济特区数据条例")
    assert not points_elsewhere("这部条例是哪天施行的？", "深圳经济特区数据条例")
    assert not points_elsewhere(
        "现行文本依据哪个修改决定修正？", "浙江省高新技术促进条例"
    )  # a 决定 amends it


def test_a_sentence_of_the_next_article_is_labelled_and_cited_as_that_article() -> None:
    text = (
        "第十六条 运营机构应当制定数据产品质量评估规范。\n\n## 第五章  数据交易行为\n\n"
        "第十七条 数据交易包括交易准备、交易磋商等行为。"
    )
    hit = Hit(
        chunk_id="c",
        doc_id="d",
        title="某办法",
        section="第四章  数据交易标的 > 第十六条",
        text=text,
        score=1.0,
    )
    later = "数据交易包括交易准备、交易磋商等行为。"
    assert title_of(later, hit) == "第十七条"
    assert located(hit, later).section == "第五章  数据交易行为 > 第十七条"
    first = "运营机构应当制定数据产品质量评估规范。"
    assert title_of(first, hit) == "第十六条"
    assert located(hit, first) is hit


@pytest.mark.parametrize(
    ("paragraph", "title", "label"),
    [
        ("**9. 智能体标准。**规范以通用大模型为核心的智能体实例。包括提示词工程等标准。", "智能体标准", ""),
        ("（一）加强算力建设。统筹布局智能计算中心。推动算力互联互通。", "加强算力建设", ""),
        ("**坚持应用牵引。**坚持企业主体、市场导向。", "坚持应用牵引", ""),
        ("数据是关键。推动数据开放共享。", "", "四、重点方向"),  # no number or bold: no title
        ("第十条 本市建立协调机制。推动发展。", "", "第十条"),  # an article is labelled as itself
    ],
)
def test_a_sentence_further_in_a_titled_paragraph_is_labelled_with_that_title(
    paragraph: str, title: str, label: str
) -> None:
    text = f"## 四、重点方向\n\n{paragraph}"
    last = paragraph.split("。")[-2].lstrip("*") + "。"
    hit = Hit(chunk_id="c", doc_id="d", title="某指南", section="四、重点方向", text=text, score=1.0)
    assert paragraph_title(text, text.rfind(last)) == title
    assert title_of(last, hit) == (title or label)
    assert paragraph_title(text, text.find(paragraph)) == ""  # the title's own sentence has none above it


def test_a_question_about_a_document_in_several_parts_gets_a_line_for_each(corpus_advisor: Advisor) -> None:
    # four parts (who issued it, its order number, when published, from when in force): four lines at
    # least, each the document's own; two parts get the usual three
    question = "互联网信息服务深度合成管理规定是哪几个部门发布的、令号是第几号、什么时候公布、从哪天起施行？"
    answer = corpus_advisor.ask(question)
    assert answer.grounded and len(answer.citations) >= 4
    for c in answer.citations:
        assert c.title == "互联网信息服务深度合成管理规定"
        chunk = corpus_advisor.snapshot.chunks[c.chunk_id].text
        assert "".join(c.quote.split()) in "".join(chunk.split())
    assert len(corpus_advisor.ask("互联网信息服务深度合成管理规定的令号是第几号？").citations) <= 3


def test_a_question_for_which_body_acts_ranks_the_sentence_that_charges_one_first() -> None:
    text = (
        "坚持把党的领导贯彻到人工智能行动全过程。国家发展改革委要加强统筹协调，推动人工智能行动形成合力。"
        "各地区要结合实际推进落地。"
    )
    hit = Hit(chunk_id="c", doc_id="d", title="某意见", text=text, score=1.0)
    assert "国家发展改革委" in rank_sentences("Which agency leads the AI action?", [hit])[0][2]
    assert "国家发展改革委" in rank_sentences("人工智能行动由哪个部门牵头？", [hit])[0][2]


def test_a_title_line_is_quoted_without_its_markdown_mark(corpus_advisor: Advisor) -> None:
    answer = corpus_advisor.ask("国务院关于深入实施“人工智能+”行动的意见是哪天印发的？由哪个机构发布？")
    assert answer.grounded and answer.citations
    assert not any(c.quote.lstrip().startswith("#") for c in answer.citations)
    assert "**：#" not in answer.text


def test_a_passages_own_heading_repeated_is_no_answer() -> None:
    section = "3.5 构建区域特色AI产业培育方法论：细化具体落实措施"
    hit = Hit(
        chunk_id="c",
        doc_id="r",
        title="报告",
        section=section,
        text=f"{section}\n注重发挥区域特色。",
        score=1.0,
    )
    assert repeats_heading(section, hit) and not repeats_heading("注重发挥区域特色。", hit)
    assert not repeats_heading("3.5", hit)  # too short to be a heading


def test_a_sentence_naming_the_thing_asked_ranks_first() -> None:
    from advisor.types import Hit

    text = (
        "第二条 示范区的规划、建设、服务、管理，适用本条例。"
        "第三条 示范区坚持改革创新、先行先试、开放合作的原则，营造创新创业环境。"
        "第四条 省人民政府统筹协调示范区发展中的重大问题。"
        "第五条 市人民政府负责推进本市示范区建设。"
        "第六条 示范区管理机构负责示范区的日常管理。"
    )
    hits = [Hit(chunk_id="c1", doc_id="d1", title="某示范区条例", section="第一章", text=text, score=1.0)]
    # the preamble shares more of the question's words; the sentence naming 原则 answers it
    ranked = rank_sentences("示范区的规划建设要遵循哪些原则？", hits)
    assert "的原则" in ranked[0][2]
