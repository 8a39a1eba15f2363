"""What blind batch 49 taught (session 41): a clause is no document's name (…编好了…规划, 没有…就…的处罚规定,
听取意见, 是在条例第几条); an English question on a chart is answered by no caption; the text another one
repealed is not in the corpus; 若干 gives no count; a park is named by its zones, a part of a framework by
whatever part the text names; English figures by what they measure (ceiling, weight, its maximum). Batch 50:
法律、法规 names 法律法规; 是否适用 asks whether a case falls under a text; 剩下那4个是啥 asks for items; who is the
director asks for the office; an English question on a guide yet to be published is deferred."""

from __future__ import annotations

from synthetic_passages import passages

from advisor.retrieval.asks import about_document, ask_kind, asked_noun
from advisor.retrieval.counted import count_not_listed, only_some
from advisor.retrieval.doc_names import document_names, unquoted_titles
from advisor.retrieval.figures import defers_after, only_caption
from advisor.retrieval.lexicon import names_kind
from advisor.retrieval.named_things import hard_misses
from advisor.retrieval.particulars import asked_role
from advisor.retrieval.status import asks_amendment, asks_status


def test_a_clause_ending_in_a_kind_of_document_names_no_document() -> None:
    # a perfective 了, a negation and 就 make a clause, not a title
    assert unquoted_titles("山东某个省直部门编好了本系统的信息化规划，能直接拿去实施吗？") == []
    assert unquoted_titles("没有资质证书就承揽信息工程的处罚规定在哪一章？") == []
    # 另外 opens the asker's next clause; the rest is too short to be a title
    assert unquoted_titles("另外全省通信网的建设规划归谁编？") == []
    # opinions heard are no 意见 issued
    assert unquoted_titles("两部条例都要求政府制定政策时听取意见，分别听哪些方面的？") == []
    # 是在条例第几条: only the kind after the preposition, no name
    assert "北京国际科技创新中心网络服务平台是在条例" not in document_names(
        "北京国际科技创新中心网络服务平台是在条例第几条规定的？"
    )
    # … while a title is still a title, 就业 in it included
    assert unquoted_titles("河南省促进高校毕业生就业创业实施方案里有哪些补贴？") == [
        "河南省促进高校毕业生就业创业实施方案"
    ]
    assert unquoted_titles("广州市加快人工智能产业高质量发展若干措施提了什么？") == [
        "广州市加快人工智能产业高质量发展若干措施"
    ]


def test_an_english_question_on_a_chart_is_answered_by_no_caption() -> None:
    question = "In the report's Figure 1, which companies are shown in the base-model layer?"
    caption = "只有不同角色共同发展，才能保证产业带来整体的提升。\n\n图1：AIGC产业链及其核心角色聚焦环节"
    assert only_caption(question, caption)
    assert only_caption("What does the framework diagram show under key technologies?", caption)
    # … not when the passage has no caption, nor when "figure" means a number
    assert not only_caption(question, "基础模型层主要包括通用大模型和行业大模型。")
    assert not only_caption("What figure does the plan give for the market size?", caption)


def test_the_date_of_a_text_another_one_repealed_is_not_in_the_corpus() -> None:
    hits, keyword = passages(
        {
            "a": "2020年12月24日 浙江省第十三届人民代表大会常务委员会第二十六次会议通过。《浙江省信息化促进条例》同时废止。"
        },
        "浙江省数字经济促进条例",
    )
    question = (
        "The Zhejiang Digital Economy Promotion Regulations repealed the earlier Zhejiang Informatization "
        "Promotion Regulations. When was that earlier regulation adopted?"
    )
    assert hard_misses(question, hits, hits[0].text, keyword)
    # … while the repealing text's own date is its title page's
    own = "When were the Zhejiang Digital Economy Promotion Regulations adopted?"
    assert not hard_misses(own, hits, hits[0].text, keyword)


def test_some_of_a_thing_gives_no_count_of_it() -> None:
    hits, _ = passages(
        {"a": "第七条 市人民政府设立市数据工作委员会。市数据工作委员会可以设立若干专业委员会。"}, "条例"
    )
    assert only_some("数据工作委员会下面设了几个专业委员会？", hits)
    # … a list after it does
    listed, _ = passages({"a": "委员会下设若干专业委员会：公共数据专业委员会、数据安全专业委员会。"}, "条例")
    assert not only_some("数据工作委员会下面设了几个专业委员会？", listed)
    # … and a count asked of another thing is not this rule's
    assert not only_some("数据工作委员会的日常工作由几个部门承担？", hits)


def test_a_park_is_named_by_its_zones_and_a_part_by_whatever_part_the_text_names() -> None:
    zones = "中关村国家自主创新示范区、中关村科学城、怀柔科学城应当根据规划编制本区域发展建设规划。"
    assert names_kind("园区", zones)
    assert not names_kind("园区", "各区人民政府应当根据规划编制本区发展建设规划。")
    assert asked_noun("国家AI标准体系建设指南把智能体、具身智能放在哪个板块？") == ""


def test_an_english_figure_is_asked_by_what_it_measures() -> None:
    assert (
        ask_kind(
            "What PUE (power usage effectiveness) ceiling do the regulations impose on new data centres?"
        )
        == "number"
    )
    assert ask_kind("What weight does the report assign to technology for large firms?") == "number"
    assert (
        ask_kind(
            "What counts as a functional unmanned vehicle, and what are its maximum design speed and weight?"
        )
        == "number"
    )
    # a count asked beside a list, in its own clause, is a figure too
    assert (
        ask_kind("How many robotaxis are approved for the pilot, and in which districts do they run?")
        == "number"
    )
    # an identifier in an acronym's letters and digits (its TC number) is written as a figure is
    assert ask_kind("Which technical committee, and its TC number, leads the AI standards?") == "number"
    assert ask_kind("Which code of conduct does the plan call for?") != "number"
    # … while a question asking no figure asks none
    assert ask_kind("Which districts and roads are open to autonomous vehicles?") != "number"
    assert ask_kind("What are its main duties, and which body supervises it?") != "number"


def test_two_words_written_apart_name_their_compound() -> None:
    text = "市场主体对数据的使用应当遵守反垄断、反不正当竞争、消费者权益保护等法律、法规的规定。"
    assert names_kind("法律法规", text)
    assert not names_kind("法律法规", "市场主体对数据的使用应当遵守行业自律公约。")


def test_whether_a_case_falls_under_a_text_is_no_question_of_its_status() -> None:
    assert not asks_amendment("一家公司在境内用深度合成技术对外提供服务，是否适用这部规定？")
    assert asks_amendment("这部规定现在是否仍适用？")
    assert asks_amendment("这个办法是否有效？")
    # what a body decided after the text is a state of things the text does not record
    assert asks_status("条例要建统计核算制度，市统计局后来定下的统计指标具体是什么？")


def test_the_rest_of_a_count_asked_colloquially_asks_for_its_items() -> None:
    hits, _ = passages(
        {"a": "全力打造包括新型电力装备集群、物联网集群等6个国际领先的先进制造业集群。"}, "报告"
    )
    assert count_not_listed("只点了新型电力装备集群、物联网集群两个，6个先进制造业集群剩下那4个是啥？", hits)


def test_an_english_question_for_the_director_asks_for_the_office() -> None:
    assert "主任" in asked_role("Who is the current director of the city's big data centre?")
    assert asked_role("Who chairs the committee?")
    assert asked_role("What does the big data centre direct?") == ()


def test_an_english_question_on_a_guide_yet_to_be_published_is_deferred() -> None:
    text = "第七条 省人民政府应当定期公布本省优先发展的高新技术产业化重点领域指南。"
    assert defers_after("Which fields are listed in the latest guide the province publishes?", text)
    # … not a question on something else the passage says
    assert not defers_after("Which fields does the province give priority to?", text)


def test_what_a_body_publishes_from_time_to_time_is_no_date_of_the_text() -> None:
    assert not about_document("按山东省信息化促进条例，县级以上政府要定期向社会公布什么东西？")
    assert not about_document("深圳AI条例说要定期发布场景需求清单，这个清单一般多久发一次？")
    # … while when the text itself was published still is
    assert about_document("山东省信息化促进条例是什么时候公布的？")
    assert about_document("这份条例哪年发布？")
