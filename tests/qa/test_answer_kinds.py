"""The extractive answer follows the kind of answer asked for: a definition's own sentence, a figure
the lead-in clause stops short of, and a family of sibling sections listed whole."""

from __future__ import annotations

import re

import pytest

from advisor.qa.enumeration import item_title, lead_in_later
from advisor.qa.extractive import compose
from advisor.qa.sentences import rank_sentences
from advisor.qa.siblings import sibling_sections
from advisor.qa.spans import from_sentence_start
from advisor.retrieval.asks import asking_part
from advisor.service import Advisor
from advisor.types import Hit
from advisor.verify.citations import Verifier


def _hit(text: str, section: str = "第二条", chunk: str = "c1") -> Hit:
    return Hit(chunk_id=chunk, doc_id="d1", title="某市数据条例", section=section, text=text, score=1.0)


def test_a_definition_question_is_answered_by_the_defining_sentence() -> None:
    hits = [
        _hit("第一条 为了促进数据要素市场发展，规范数据处理活动，制定本条例。", "第一条", "c1"),
        _hit(
            "第二条 本条例所称数据经纪，是指为数据交易双方提供撮合服务的活动。本条例所称数据，是指任何以电子方式对信息的记录。",
            "第二条",
            "c2",
        ),
    ]
    conclusion, _, _, _ = compose("某市数据条例中的“数据”是怎么定义的？", hits, Verifier(hits))
    assert "本条例所称数据，是指任何以电子方式对信息的记录。" in conclusion
    conclusion, _, _, _ = compose("数据经纪是如何定义的？", hits, Verifier(hits))
    assert "数据经纪，是指" in conclusion


def test_a_figure_asked_about_something_forbidden_is_the_penalty_not_the_prohibition() -> None:
    """禁止交易 describes what was traded; the question asks how much the fine is, for each amount."""
    hits = [
        _hit(
            "第五条 有下列情形之一的，不得交易：（一）未经授权的个人数据；（二）未开放的公共数据。",
            "第五条",
            "c1",
        ),
        _hit(
            "第九条 违反本条例第五条规定交易数据的，交易金额不足一万元的，处五万元以上十万元以下罚款；"
            "交易金额一万元以上的，处十万元以上五十万元以下罚款。",
            "第九条",
            "c2",
        ),
    ]
    question = "交易了禁止交易的数据，金额不足一万元和一万元以上的分别罚多少？"
    conclusion, _, _, _ = compose(question, hits, Verifier(hits))
    assert "五万元以上十万元以下" in conclusion and "十万元以上五十万元以下" in conclusion, conclusion
    conclusion, _, _, _ = compose("本条例规定哪些数据不得交易？", hits, Verifier(hits))
    assert "不得交易" in conclusion


def test_a_term_defined_at_the_head_of_its_sentence_and_away_from_the_hits(corpus_advisor: Advisor) -> None:
    """ "需求方，主要是指……" defines without 所称; the defining chunk may not be among the hits, but its
    document is."""
    hits = [_hit("需求方，主要是指有新一代人工智能产品使用需求的企业和个人。", "3.1 关键角色")]
    conclusion, _, _, _ = compose("报告如何定义需求方？", hits, Verifier(hits))
    assert "需求方，主要是指" in conclusion
    snap = corpus_advisor.snapshot
    chunk = next(
        c for c in snap.chunks.values() if re.search(r"(?m)^[^，。\n]{2,8}，主要是指", c.text) is not None
    )
    term = re.search(r"(?m)^([^，。\n]{2,8})，主要是指", chunk.text).group(1)  # type: ignore[union-attr]
    others = [snap.hit(c.chunk_id) for c in snap.chunks_of(chunk.doc_id) if c.chunk_id != chunk.chunk_id]
    question = f"{term}是怎么定义的？"
    conclusion, _, _, _ = compose(
        question, others[:3], Verifier([*others[:3], snap.hit(chunk.chunk_id)]), snap
    )
    assert f"{term}，主要是指" in conclusion


def test_a_clause_leading_up_to_the_figure_goes_on_through_it() -> None:
    text = (
        "第六十条 建设单位未按规定配套建设通信基础设施的，由主管部门责令限期改正；"
        "逾期不改正的，处五万元以上二十万元以下罚款。\n\n第六十一条 其他规定。"
    )
    hits = [_hit(text, "第六十条")]
    conclusion, _, _, _ = compose("建设单位未配套建设通信基础设施，逾期不改正罚多少？", hits, Verifier(hits))
    assert "五万元以上二十万元以下罚款" in conclusion
    assert "第六十一条" not in conclusion


def test_a_clause_stating_the_figure_goes_on_to_its_sentence_end() -> None:
    """The fine is in the first clause; what follows in the same sentence (情节严重的…) is part of the
    penalty the question asks about."""
    text = (
        "第五十条 试点主体未履行车辆检测职责的，由交通部门责令改正；拒不改正的，处一万元以上三万元以下罚款；"
        "情节严重的，暂停其试点资格。\n\n第五十一条 其他规定。"
    )
    hits = [_hit(text, "第五十条")]
    conclusion, _, _, _ = compose("试点主体不履行检测职责、拒不改正的，罚多少？", hits, Verifier(hits))
    assert "一万元以上三万元以下罚款" in conclusion
    assert "暂停其试点资格" in conclusion
    assert "第五十一条" not in conclusion


@pytest.mark.integration
def test_a_family_of_sections_is_listed_whole(corpus_advisor: Advisor) -> None:
    """The report's part 2 is five sections "2.x 紧贴五大高质量发展之道谋布局：…"; a question naming the
    family lists all five, in document order, each by its own heading line."""
    snap = corpus_advisor.snapshot
    question = "报告第二部分“五大高质量发展之道”分别是什么？"
    hits = corpus_advisor.retrieve(question, k=8)
    found = sibling_sections(question, hits, snap)
    assert found is not None
    first, heading, rest = found
    names = [item_title(heading, first, heading)] + [item_title(s, h, heading) for h, s in rest]
    family = sorted({c.section for c in snap.chunks.values() if "五大高质量发展之道谋布局：" in c.section})
    assert len(names) == len(family) >= 4
    assert names == [section.split("：")[-1] for section in family]
    assert all(line in h.text for h, line in [(first, heading), *rest])  # verbatim
    assert sibling_sections("报告提出了哪些具体举措？", hits, snap) is None  # the family is not asked about


@pytest.mark.integration
def test_an_english_list_question_matches_headings_through_its_chinese(corpus_advisor: Advisor) -> None:
    from advisor.qa.enumeration import items_under_heading
    from advisor.qa.extractive import _with_renderings

    keyword = corpus_advisor.snapshot.keyword
    words = _with_renderings("Which safeguard measures does the plan set out?", keyword)
    assert "保障" in words and "措施" in words
    text = "#### 五、保障措施\n\n（一）加强统筹协调。建立工作机制。\n\n（二）强化资金支持。设立专项资金。\n\n#### 六、附则\n\n本方案自印发之日起施行。"
    found = items_under_heading(words, [_hit(text, "五、保障措施")], None)
    assert found is not None and [s for _, s in found[2]] == ["（一）加强统筹协调。", "（二）强化资金支持。"]
    assert (
        _with_renderings("报告有哪些保障措施？", keyword) == "报告有哪些保障措施？"
    )  # Chinese stays as asked


def test_a_term_the_question_quotes_leads_the_answer() -> None:
    hits = [
        _hit("第十条 推动服务业智能化发展，创新服务新模式，拓展服务新场景。", "第十条", "c1"),
        _hit("第十一条 培育应用服务商，发展“平台即服务”等新模式。", "第十一条", "c2"),
    ]
    conclusion, _, _, _ = compose("某市数据条例提出发展哪些“即服务”的新模式？", hits, Verifier(hits))
    assert "平台即服务" in conclusion


def test_the_label_above_a_paragraph_says_whose_it_is() -> None:
    text = "各地规划要点\n\n> 四川省\n实施数字产业集群升级计划。\n\n> 广东省\n支持广州建设国家区块链发展先行示范区。"
    hits = [_hit(text, "1.2 各地规划")]
    conclusion, _, _, _ = compose("哪个省支持广州建设国家区块链发展先行示范区？", hits, Verifier(hits))
    assert "广东省" in conclusion and "四川省" not in conclusion


def test_a_question_about_what_is_not_allowed_is_answered_by_what_the_text_forbids() -> None:
    hits = [
        _hit("第十条 运营机构应当建立交易规则，提供交易服务，维护交易秩序。", "第十条", "c1"),
        _hit("第十一条 运营机构不得对外提供融资担保，不得参与交易。", "第十一条", "c2"),
    ]
    conclusion, _, _, _ = compose("运营机构在交易中有哪些事不能做？", hits, Verifier(hits))
    assert "不得对外提供融资担保" in conclusion


def test_english_words_no_passage_contains_do_not_hand_the_choice_to_hit_order() -> None:

    hits = [
        _hit("第一条 推进数字经济发展，促进产业转型升级，提高发展质量效益。", "第一条", "c1"),
        _hit("第二条 统筹建设算力基础设施，提升算力供给能力。", "第二条", "c2"),
    ]
    question = (
        "According to the regulation text, which concrete practical steps should the municipal "
        "leadership undertake regarding computing power?"
    )
    best = rank_sentences(question, hits)[0]
    assert "算力" in best[2]


@pytest.mark.integration
def test_a_numbered_part_of_the_contents_lists_its_sections(corpus_advisor: Advisor) -> None:
    """The report's contents page says "Part 04 …四项具体举措"; asked for the four measures, the answer lists
    the sections numbered 4.x, each by its own heading line, not the contents line alone."""
    from advisor.qa.enumeration import items_under_heading

    snap = corpus_advisor.snapshot
    question = "报告提出的地方政府培育AI产业的四项具体举措分别是什么？"
    found = items_under_heading(question, corpus_advisor.retrieve(question, k=8), snap)
    assert found is not None
    _, heading, items = found
    assert heading.startswith("Part 04")
    expected = sorted({c.section for c in snap.chunks.values() if c.section.startswith("4.")})
    assert [line for _, line in items] == expected and len(expected) == 4


def test_a_clause_goes_on_to_the_end_of_its_sentence_but_a_list_item_stays_itself() -> None:
    text = (
        "第二十五条 产品列入政府采购目录的，政府应当按照规定实施优先采购或者首购；"
        "由政府出资研究开发的重大创新产品，政府可以实行择优订购。\n\n（一）支持企业研发；\n\n（二）引进人才；"
    )
    hits = [_hit(text, "第二十五条")]
    conclusion, _, _, _ = compose("产品列入政府采购目录后政府怎么采购？", hits, Verifier(hits))
    assert "首购；由政府出资研究开发的重大创新产品，政府可以实行择优订购。" in conclusion
    conclusion, _, _, _ = compose("怎么支持企业研发？", hits, Verifier(hits))
    assert "（一）支持企业研发；" in conclusion and "引进人才" not in conclusion


def test_a_sentence_that_counts_its_parts_is_spelled_out_by_the_rest_of_its_paragraph() -> None:
    text = (
        "服务主体主要包括政府侧和市场侧两类。政府侧以各级主管部门为主，市场侧则包括行业协会、联盟等。\n\n"
        "其他段落说明别的事情。"
    )
    hits = [_hit(text, "3.1 关键角色")]
    _, _, points, _ = compose("服务主体分成哪两类，各包括什么？", hits, Verifier(hits))
    assert any("行业协会" in p.detail for p in points)
    assert not any("别的事情" in p.detail for p in points)


@pytest.mark.integration
def test_each_part_of_a_two_part_question_is_answered(corpus_advisor: Advisor) -> None:
    """算法推荐规定: 第十七条 lets users turn recommendation off, 第二十四条 sets twenty working days for
    cancelling a filing. The question asks both; the answer quotes both."""
    answer = corpus_advisor.ask(
        "用户能不能关掉算法推荐？算法推荐服务提供者终止服务后多久要办理注销备案手续？"
    )
    assert "关闭算法推荐服务" in answer.text
    assert "二十个工作日" in answer.text


def test_a_rule_is_quoted_with_its_proviso() -> None:
    """但书: without "但是，……的除外" the rule reads as absolute; the next article is not part of it."""
    text = (
        "第三十条 经营者不得向未满十四周岁的未成年人推送个性化广告。"
        "但是，经其监护人明示同意的除外。\n\n第三十一条 经营者应当建立投诉处理机制。"
    )
    hits = [_hit(text, "第三十条")]
    verifier = Verifier(hits)
    conclusion, cites, _, _ = compose("能不能给小学生推个性化广告？", hits, verifier)
    assert "监护人明示同意的除外" in conclusion and "投诉处理机制" not in conclusion
    assert verifier.used([], cites)[0].quote.endswith("的除外。")  # one verbatim span, rule and proviso
    plain = [_hit("第五条 经营者不得推送个性化广告。经营者应当建立投诉处理机制。", "第五条")]
    conclusion, _, _, _ = compose("能不能推个性化广告？", plain, Verifier(plain))
    assert "投诉处理机制" not in conclusion  # a sentence that is no proviso stays out


def test_a_point_is_quoted_as_a_whole_sentence_not_cut_at_its_first_semicolon() -> None:
    """The second tier of a fine (交易金额一万元以上的，…) is in the same sentence as the first: a point that
    quotes only the first clause reads as if there were one tier."""
    lead = "第六十七条 交易的数据产品包含未经授权的个人数据的，不得交易。"
    fine = (
        "第九十四条 违反本条例第六十七条规定交易数据的，由市场监督管理部门责令改正，没收违法所得，"
        "交易金额不足一万元的，处五万元以上二十万元以下罚款；交易金额一万元以上的，处二十万元以上一百万元以下罚款。"
    )
    hits = [_hit(lead, "第六十七条", "c1"), _hit(fine, "第九十四条", "c2")]
    verifier = Verifier(hits)
    conclusion, _, points, advice = compose(
        "第六十七条对数据产品交易有什么规定？违反了怎么办？", hits, verifier
    )
    quoted = " ".join([conclusion, *(p.detail for p in points), *(a.detail for a in advice)])
    assert "五万元以上二十万元以下罚款" in quoted, quoted
    assert "二十万元以上一百万元以下罚款" in quoted, quoted
    assert all(c.quote in h.text for c in verifier.citations for h in hits if h.chunk_id == c.chunk_id)


def test_points_never_quote_what_the_head_or_another_point_already_quotes(corpus_advisor: Advisor) -> None:
    """Real corpus, a spread of questions: no quote of an answer (conclusion, point, advice) is contained in
    another of its quotes (a clause whose whole sentence another item quotes)."""
    questions = [
        "生成式人工智能服务提供者应当履行哪些义务？",
        "深度合成服务提供者对生成内容的标识有什么要求？",
        "深圳人工智能产业促进条例对公共数据开放有什么规定？",
        "地方政府培育人工智能产业要关注哪些环节？",
        "数字中国建设整体布局规划对数据要素有什么部署？",
        "深度合成服务要怎么核验使用者的真实身份信息？",
        "具有舆论属性的算法推荐服务多少天内要办理备案？",
        "深度合成技术包括哪几类？",
    ]
    for q in questions:
        answer = corpus_advisor.ask(q, provider="extractive")
        quotes = ["".join(c.quote.split()) for c in answer.citations]
        for i, mine in enumerate(quotes):
            assert not any(mine in other for j, other in enumerate(quotes) if j != i), (q, mine)


def test_the_term_defined_is_asked_outside_the_documents_title() -> None:
    """《…人工智能产业促进条例》所称人工智能 asks 人工智能, not the 人工智能产业 of the title; 所称的 defines too."""
    hits = [
        _hit("第三条 本条例所称人工智能产业，是指与人工智能相关的核心产业。", "第三条", "c1"),
        _hit("第二条 本条例所称人工智能，是指利用计算机对人类智能的模拟、延伸或者扩展。", "第二条", "c2"),
        _hit("第四条 本条例所称的高新技术，是指科技含量高、应用性强的技术。", "第四条", "c3"),
    ]
    conclusion, _, _, _ = compose("《某市人工智能产业促进条例》所称人工智能是指什么？", hits, Verifier(hits))
    assert "所称人工智能，是指利用计算机" in conclusion
    conclusion, _, _, _ = compose("这部条例对“高新技术”下的定义是什么？", hits, Verifier(hits))
    assert "所称的高新技术，是指科技含量高" in conclusion


@pytest.mark.integration
def test_the_marked_sections_under_a_heading_the_question_names_are_listed(corpus_advisor: Advisor) -> None:
    """ "二、加快实施重点行动" > "（一）…" … "（六）…": a question naming the heading lists every section
    under it; one naming only the document (every section's title) lists none of them this way."""
    snap = corpus_advisor.snapshot
    parent = next(
        c.section.rpartition(" > ")[0]
        for c in snap.chunks.values()
        if c.section.count(" > ") == 1
        and re.match(r"（二）", c.section.rpartition(" > ")[2])
        and "重点行动" in c.section
    )
    children = list(
        dict.fromkeys(c.section for c in snap.chunks.values() if c.section.startswith(f"{parent} > "))
    )
    question = "加快实施重点行动这部分分别部署了哪些行动？"
    hits = corpus_advisor.retrieve(question, k=8)
    found = sibling_sections(question, hits, snap)
    assert found is not None
    first, heading, rest = found
    assert heading in first.text  # verbatim
    assert len(rest) + 1 == len(children) >= 4
    assert [first.section, *(h.section for h, _ in rest)] == sorted(
        children, key=lambda s: next(c.start for c in snap.chunks.values() if c.section == s)
    )
    other = "“人工智能+”意见提出要发展哪些“即服务”的新模式？"
    assert sibling_sections(other, corpus_advisor.retrieve(other, k=8), snap) is None


@pytest.mark.integration
def test_a_question_naming_one_section_is_not_answered_by_its_family(corpus_advisor: Advisor) -> None:
    question = "报告3.5节讲AI产业培育的实施路径，地方政府要重点关注哪几个环节？"
    hits = corpus_advisor.retrieve(question, k=8)
    assert sibling_sections(question, hits, corpus_advisor.snapshot) is None
    family = "报告构建区域特色AI产业培育方法论分哪几步？"  # the family itself is asked about
    assert sibling_sections(family, corpus_advisor.retrieve(family, k=8), corpus_advisor.snapshot) is not None


def test_a_list_in_the_heads_own_article_answers_a_list_question() -> None:
    """The best sentence says an assessment may be applied for; the same article goes on to list how it
    is done: that list answers "in what ways", not another article's procedure."""
    text = (
        "第二十六条 完成道路测试、示范应用，可以向市经济和信息化部门申请安全评估。\n\n开展安全评估采取下列方式：\n\n"
        "（一）组织专家论证，作出评估结论；\n\n（二）通过第三方检测机构检测；\n\n（三）法律、法规规定的其他方式。\n\n"
        "第二十七条 车辆应当随车携带相关证件。"
    )
    hits = [_hit(text, "第二十六条")]
    assert lead_in_later(hits[0], "完成道路测试、示范应用，可以向市经济和信息化部门申请安全评估。", None) == (
        hits[0],
        "开展安全评估采取下列方式：",
    )
    assert (
        lead_in_later(hits[0], "（三）法律、法规规定的其他方式。", None) is None
    )  # none later in its article
    conclusion, _, points, _ = compose("完成道路测试后，安全评估可以通过哪些方式开展？", hits, Verifier(hits))
    assert "开展安全评估采取下列方式" in conclusion
    assert any("第三方检测机构" in p.title + p.detail for p in points)


def test_an_english_question_asks_in_its_last_clause_even_after_a_preposition() -> None:
    assert asking_part(
        "Once a firm has finished road testing, in what ways can its safety assessment be done?"
    ) == ("in what ways can its safety assessment be done?")


def test_a_head_that_is_a_later_clause_is_quoted_from_its_sentence_start() -> None:
    """The first clause names who acts and what is set up (…建立科技项目综合管理平台…；); a head quoting
    only the clause after the semicolon loses it."""
    article = (
        "第五十条 市科学技术部门会同有关部门建立科技项目综合管理平台，对财政性资金设立的科技项目加强统筹管理；"
        "合理设置科技项目申报条件，不得将职称、论文、奖项等作为申报的限制性条件。\n"
        "市科学技术、财政等部门应当健全科技项目经费管理使用制度。"
    )
    hits = [_hit(article, "第五十条", "c1")]
    verifier = Verifier(hits)
    conclusion, _, _, _ = compose("科技项目申报能不能把职称、论文当作限制性条件？", hits, verifier)
    assert "科技项目综合管理平台" in conclusion and "限制性条件" in conclusion, conclusion
    assert all(c.quote in article for c in verifier.citations)


def test_a_list_item_head_is_not_joined_to_the_item_before_it() -> None:
    text = (
        "第十一条 运营机构不得从事下列活动：\n（一）采取集中竞价方式进行交易；（二）挪用交易主体交易资金；\n"
    )
    hit = _hit(text, "第十一条", "c1")
    assert from_sentence_start(hit, "（二）挪用交易主体交易资金；") == "（二）挪用交易主体交易资金；"
    # nor a clause to an item before it
    run_on = _hit("第十一条 不得从事下列活动：\n（一）采取集中竞价方式进行交易；挪用交易资金；\n", "第十一条")
    assert from_sentence_start(run_on, "挪用交易资金；") == "挪用交易资金；"


def test_which_body_is_answered_by_the_sentence_charging_one_with_the_work() -> None:
    """…的日常工作由市产业主管部门承担: a body charged with the work, as 负责 or 牵头 would say, ranks
    above the lead-in that sets the committee up."""
    article = (
        "第六十五条 市人民政府应当设立市人工智能伦理委员会，履行下列职责：\n"
        "（一）研究制定人工智能领域的伦理安全规范；\n（二）其他应当开展的活动。\n"
        "市人工智能伦理委员会的日常工作由市产业主管部门承担。"
    )
    ranked = rank_sentences("伦理委员会平时的具体事务归哪个部门管？", [_hit(article, "第六十五条", "c1")])
    assert ranked[0][2] == "市人工智能伦理委员会的日常工作由市产业主管部门承担。", ranked[:2]


def test_a_texts_legal_basis_and_scope_are_answered_from_its_own_clause(corpus_advisor: Advisor) -> None:
    basis = corpus_advisor.ask("深度合成管理规定是依据哪些上位法制定的？", provider="extractive")
    conclusion = basis.text.split("**依据**")[0]
    assert "根据《中华人民共和国网络安全法》" in conclusion and "制定本规定" in conclusion
    scope = corpus_advisor.ask("算法推荐管理规定适用于哪些活动？", provider="extractive")
    assert "适用本规定" in scope.text.split("**依据**")[0]


def test_a_texts_purpose_is_answered_from_its_own_clause(corpus_advisor: Advisor) -> None:
    """What a text is for, asked in Chinese or English, is its purpose clause (为了…，制定本条例), not the
    article that best shares the question's words (its scope, its definitions)."""
    for question in (
        "算法推荐管理规定的立法目的是什么？",
        "What is the purpose of the algorithmic recommendation provisions?",
    ):
        conclusion = corpus_advisor.ask(question, provider="extractive").text.split("**依据**")[0]
        assert "第一条" in conclusion and "制定本规定" in conclusion and "为了" in conclusion, conclusion
    # the purpose of a measure inside a text is no question about the text's own purpose
    measure = corpus_advisor.ask("算法推荐管理规定要求建立算法备案，目的是什么？", provider="extractive")
    assert "第一条" not in measure.text.split("**依据**")[0]
