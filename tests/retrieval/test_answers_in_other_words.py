"""Answers a text gives in words other than the question's: a frequency as 年度, a time after an event,
a count in 级, a numbered list after 下列, the kinds a question offers, a place's government, a plan a
city's own text names, a programme one takes part in (no document name). Pure rules, and one assess."""

from __future__ import annotations

from advisor.index.keyword import KeywordIndex, tokenize
from advisor.retrieval.doc_names import unquoted_titles
from advisor.retrieval.figures import lists_items, states_answer
from advisor.retrieval.lexicon import names_kind, offered_kinds
from advisor.retrieval.members import asks_members
from advisor.retrieval.places_named import names_government, places_in
from advisor.retrieval.status import asks_status
from advisor.retrieval.units import asked_unit, has_number_in


def test_how_often_is_answered_by_an_annual_thing() -> None:
    present = states_answer("开放清单多久公布一次？", "number", "")
    assert present("市公共数据主管部门应当公布年度公共数据开放清单。")
    assert not present("市公共数据主管部门应当公布公共数据开放清单。")


def test_when_is_answered_by_a_time_after_an_event_but_which_year_is_not() -> None:
    when = states_answer("事后什么时候必须补告知？", "date", "")
    assert when("无法事前告知的，应当在紧急情况消除后及时告知。")
    assert when("自收到申请之日起十五个工作日内作出决定。")
    assert not when("应当告知本人处理的目的和方式。")
    which_year = states_answer("这份条例是哪一年修订的？什么时候施行？", "date", "")
    assert not which_year("紧急情况消除后及时告知。")


def test_a_count_in_levels_is_a_number_in_that_unit() -> None:
    assert asked_unit("讲的是几级联动？") == "级"
    assert has_number_in("促进部市区三级联动，研究调度重大事项", "级")
    assert not has_number_in("促进部市区联动，研究调度重大事项", "级")


def test_a_sentence_opening_a_numbered_list_lists_its_items() -> None:
    assert lists_items("安全员应当履行下列职责： （一）按照操作规范监测；")
    assert not lists_items("安全员应当履行相应职责。")


def test_a_kind_is_named_where_a_particle_or_punctuation_ends_it_however_jieba_cuts_it() -> None:
    assert names_kind("主线", "以数据为关键要素，以数字技术与实体经济深度融合为主线，加强建设")
    assert not names_kind("主线", "以数据为关键要素，加强数字基础设施建设")


def test_parts_are_named_by_a_list_of_words_ending_in_the_parts_first_character() -> None:
    assert names_kind("板块", "支持高新技术企业到境内外主板、中小企业板、创业板上市融资")
    assert not names_kind("板块", "支持高新技术企业上市融资")


def test_the_laws_a_text_rests_on_are_named_as_quoted_laws() -> None:
    assert names_kind(
        "上位法", "根据《中华人民共和国网络安全法》、《互联网信息服务管理办法》等法律，制定本规定"
    )
    assert not names_kind("上位法", "根据国家有关规定，结合本市实际，制定本规定")


def test_a_question_offering_another_kind_is_answered_by_that_kind_unless_every_text_has_it() -> None:
    texts = {
        "a": "以中关村科学城、怀柔科学城为主要平台。企业应当遵守规定。",
        "b": "本市支持企业发展。",
        "c": "企业开展研发活动。",
    }
    meta = [{"doc_id": k, "title": k} for k in texts]
    keyword = KeywordIndex(list(texts), [tokenize(t) for t in texts.values()], meta)
    keyword.attach_texts(list(texts.values()))
    assert offered_kinds("园区", "要求哪些园区或者科学城编制规划？", keyword) == ["科学城"]
    assert offered_kinds("国家", "用哪些国家或企业的样本算出来的？", keyword) == []
    assert offered_kinds("园区", "要求哪些园区编制规划？", keyword) == []


def test_a_places_government_names_the_place() -> None:
    assert "上海市" in places_in("上海市政府为推进科创中心建设设了什么机构？")
    assert names_government("上海市政府") and names_government("深圳市人民政府")
    assert not names_government("上海市") and not names_government("市人民政府")


def test_a_programme_taken_part_in_or_a_nations_plan_is_no_document_name() -> None:
    assert unquoted_titles("外国科学家能不能跟上海本地单位一起去报上海市的科技计划项目？") == [
        "上海市的科技计划"
    ]
    assert (
        unquoted_titles("国家的十四五数字经济规划和北京的方案，在把数字人才纳入各类人才计划这件事上一致吗？")
        == []
    )
    assert unquoted_titles("杭州市智慧经济发展总体规划是由哪个部门牵头编的？") == [
        "杭州市智慧经济发展总体规划"
    ]


def test_becoming_a_member_is_no_question_about_who_the_members_are() -> None:
    assert not asks_members("Can foreign researchers become members of science associations?")
    assert asks_members("Who are the members of the committee?")


def test_having_rights_is_no_question_about_what_has_happened() -> None:
    assert not asks_status("Do companies have any property rights over the data products they build?")
    assert asks_status("Has any company been fined under these rules so far?")
    assert asks_status("Have any firms been approved yet?")


def test_the_thing_asked_is_the_noun_an_activity_qualifies() -> None:
    from advisor.retrieval.asks import asked_noun

    assert asked_noun("监测评估具体采用哪些评估指标？") == "指标"
    assert asked_noun("由哪家公司运营？") == "公司"


def test_a_texts_legal_basis_or_scope_is_asked_of_its_own_clause() -> None:
    from advisor.retrieval.doc_facts import OWN_CLAUSES, asks_own_clause

    (_, basis_line), (_, scope_line), (purpose_asked, purpose_line) = OWN_CLAUSES
    assert asks_own_clause("深度合成管理规定是依据哪些上位法制定的？")
    assert asks_own_clause("上海市数据条例主要依据的是哪两部国家法律？")
    assert asks_own_clause("山东省信息化促进条例的适用范围包括哪些活动？")
    assert not asks_own_clause("深度合成服务提供者应当履行哪些义务？")
    assert basis_line.search("根据《中华人民共和国网络安全法》等法律、行政法规，制定本规定。")
    assert scope_line.search("在本省行政区域内从事信息化建设等活动，适用本条例。")
    assert not scope_line.search("本条例自2018年1月1日起施行。")
    # … and its purpose: 为了…，制定本条例, asked as 立法目的 or what a text is meant to serve
    assert purpose_asked.search("这部条例的立法目的是什么？")
    assert purpose_asked.search("What purposes is the regulation meant to serve?")
    assert not purpose_asked.search("建立数据交易所的目的是什么？")  # a measure's purpose, not the text's
    assert purpose_line.search("第一条 为了规范算法推荐活动，根据有关法律，制定本规定。")
    assert not purpose_line.search("本条例自2018年1月1日起施行。")


def test_a_place_is_not_the_thing_asked_and_an_activitys_dimensions_are_light() -> None:
    from advisor.retrieval.asks import asked_noun

    assert asked_noun("深圳由谁定期评价各公共机构的数据管理工作？") == ""
    assert asked_noun("数字中国建设峰会固定在哪个城市举办？") == "城市"
    assert asked_noun("依据哪些维度来分类？") == ""


def test_a_rank_is_asked_as_a_number() -> None:
    from advisor.retrieval.asks import ask_kind

    assert ask_kind("在联合国电子政务发展指数里排第几？") == "number"
    assert ask_kind("What rank does the city hold?") == "number"


def test_a_plan_asked_who_makes_it_may_be_named_without_its_owner() -> None:
    from advisor.retrieval.named_things import _ASKS_MAKER, _unqualified

    assert "智能化路侧设施建设计划" in _unqualified("北京自动驾驶的智能化路侧设施建设计划")
    assert "重大科技基础设施发展规划" in _unqualified("上海重大科技基础设施的发展规划")
    assert _ASKS_MAKER.search("这个计划由哪个部门牵头制定？")
    assert not _ASKS_MAKER.search("那个办法对高风险应用的认定标准是什么？")


def test_a_body_is_composed_of_the_bodies_listed_as_setting_it_up_or_taking_part() -> None:
    from advisor.retrieval.members import states_members
    from advisor.types import Hit

    def hit(text: str) -> Hit:
        return Hit(chunk_id="c", doc_id="d", title="t", text=text, score=1.0)

    assert states_members([hit("市经济和信息化、交通、公安机关交通管理等相关部门建立联合工作机制。")])
    assert states_members([hit("建立完善政府、平台、企业、行业组织和社会公众多元参与的治理新格局。")])
    assert not states_members([hit("建立数字经济发展部际协调机制，加强形势研判。")])


def test_a_first_batch_chosen_or_a_thing_ever_issued_is_a_question_about_what_happened() -> None:
    assert asks_status("规划提出要建立一批研究基地，首批确定了哪几家？")
    assert asks_status("网信办有没有发过协议范本？")
    assert not asks_status("规划提出要建立一批研究基地，由谁确定？")
    assert not asks_status("提供者有没有义务签订服务协议？")


def test_which_one_a_quoted_term_really_is_asks_for_its_identity() -> None:
    from advisor.retrieval.particulars import identified_term

    assert identified_term("条例里说的“市数据标准化技术组织”到底是哪个机构？") == "市数据标准化技术组织"
    assert identified_term("“市数据标准化技术组织”负责什么？") == ""


def test_the_format_of_a_number_is_stated_only_by_a_text_that_gives_its_make_up() -> None:
    from advisor.retrieval.particulars import asks_format, states_format

    assert asks_format("备案编号的编码格式是怎样的，由哪几段组成？")
    assert asks_format("What is the format of the filing number?")
    assert not asks_format("备案编号要标在哪里？")
    assert states_format("备案编号由省份代码、年份和顺序号组成。")
    assert not states_format("应当在其对外提供服务的网站显著位置标明其备案编号。")


def test_clauses_are_named_by_their_article_numbers() -> None:
    assert names_kind("条款", "违反本规定第七条、第八条的，由网信部门依据职责给予警告")
    assert not names_kind("条款", "由网信部门依据职责给予警告")


def test_which_article_says_something_is_answered_by_the_passages_own_number() -> None:
    from advisor.retrieval.particulars import asks_where_stated, numbered_part

    assert asks_where_stated("规定由网信部门牵头制定重要数据目录的是第几条？")
    assert asks_where_stated("Which article sets the fine?")
    assert not asks_where_stated("条例一共有多少条？")
    assert numbered_part("第八章 数据安全 > 第七十四条")
    assert not numbered_part("一、总体要求")


def test_an_english_target_share_asks_a_figure() -> None:
    from advisor.retrieval.asks import ask_kind

    assert ask_kind("Does the opinion set a target share of GDP for the core industries?") == "number"
    assert ask_kind("Does the opinion set targets for the core industries?") != "number"


def test_a_bound_asks_a_figure_not_a_list() -> None:
    from advisor.retrieval.asks import ask_kind

    assert ask_kind("伦理审查委员会至少要几个人、必须有外部专家吗？") == "number"
    assert ask_kind("由哪几个部门负责？") == "list"


def test_a_modified_noun_and_a_comparisons_emphasis() -> None:
    from advisor.retrieval.asks import asked_noun

    assert asked_noun("这份指南提出了哪几条基本原则？") == "原则"
    assert asked_noun("由哪家公司运营？") == "公司"  # a noun of its own stays the thing asked
    assert asked_noun("两部条例对平台经济各自的侧重点是什么？") == ""


def test_principles_and_trades_are_named_as_their_texts_list_them() -> None:
    from advisor.retrieval.lexicon import names_kind

    principles = "**坚持创新驱动。**优化联动机制。\n\n**坚持应用牵引。**推动应用。"
    assert names_kind("原则", principles)
    assert not names_kind("原则", "**坚持创新驱动。**优化联动机制。")  # one is no list of principles
    assert names_kind("行业", "支持农业、制造业、建筑、能源等产业运用数字技术。")
    assert not names_kind("行业", "支持企业运用数字技术。")


def test_a_verb_of_planning_names_no_document_and_a_qualified_light_noun_no_term() -> None:
    from advisor.retrieval.absent import _describes
    from advisor.retrieval.doc_names import document_names, unquoted_titles

    question = "深圳市政府统筹规划的人工智能基础设施包括哪几类？"
    assert unquoted_titles(question) == []
    assert not any(n.endswith("统筹规划") for n in document_names(question))
    assert unquoted_titles("深圳市人工智能产业发展规划提出了哪些目标？") == ["深圳市人工智能产业发展规划"]
    assert _describes("例外情况")
    assert not _describes("算力补贴")


def test_whether_there_is_a_specific_amount_asks_for_the_amount() -> None:
    from advisor.retrieval.asks import ask_kind

    assert ask_kind("国家对参与协作的企业有没有具体的资金补贴标准？") == "number"
    assert ask_kind("Is there a specific subsidy amount for these firms?") == "number"
    assert ask_kind("有没有鼓励企业参与协作？") != "number"


def test_a_format_is_stated_for_the_code_asked_about() -> None:
    from advisor.retrieval.particulars import states_format

    question = "内容编号按什么格式编？"
    assert not states_format("文件元数据是指按照特定编码格式嵌入到文件头部的描述性信息。", question)
    assert states_format("备案编号由字母和十二位数字组成。", "备案编号由哪几部分组成？")


def test_what_a_noun_qualifies_and_the_means_used_are_no_things_asked() -> None:
    from advisor.retrieval.asks import asked_noun

    assert asked_noun("要牵头建设哪些全市性的基础数据库？") == "数据库"
    assert asked_noun("两部条例各用了哪些办法？") == ""
    assert asked_noun("政府支持企业研发的政策工具有哪些？") == ""


def test_a_texts_higher_laws_are_named_by_its_quoted_laws() -> None:
    from advisor.retrieval.lexicon import names_kind

    basis = "根据《中华人民共和国网络安全法》、《中华人民共和国数据安全法》等法律法规，制定本办法。"
    assert names_kind("上位", basis) and names_kind("法律法规", basis)
    assert not names_kind("上位", "根据国家有关规定，结合本市实际，制定本办法。")


def test_a_measure_being_taken_is_no_title_and_a_name_opens_at_its_place() -> None:
    from advisor.retrieval.doc_names import document_names, unquoted_titles

    assert unquoted_titles("上海针对新业态新模式出台监管措施之前，要先公开方案吗？") == []
    names = document_names("要是部门不作为，害得企业没拿到河南高新技术条例里的优惠，怎么办？")
    assert "河南高新技术条例" in names


def test_levels_are_named_by_a_list_of_grades_and_areas_by_zone_names() -> None:
    from advisor.retrieval.lexicon import names_kind

    assert names_kind("层级", "建设国家级、省级、市级等各类创新平台。")
    assert not names_kind("层级", "建设各类创新平台。")
    zones = "支持东湖新区、滨江科技城等区域先行先试。"
    assert names_kind("片区", zones)
    assert not names_kind("片区", "支持有条件的地方先行先试。")


def test_detailed_rules_are_named_by_the_rules_a_body_is_to_make() -> None:
    from advisor.retrieval.lexicon import names_kind

    assert names_kind("细则", "数据开放的具体管理办法，由市数据主管部门另行制定。")
    assert not names_kind("细则", "市数据主管部门负责推进数据开放工作。")


def test_a_grade_or_level_before_a_noun_qualifies_it() -> None:
    from advisor.retrieval.asks import asked_noun

    assert asked_noun("平台要符合哪几项基本要求？") == ""  # 要求: whatever the texts require
    assert asked_noun("由哪几个省级部门共同推进？") != "省级"


def test_the_act_asked_is_not_the_matter_pointed_back_at() -> None:
    from advisor.retrieval.bodies import asked_act

    assert asked_act("建设算力平台的事，由哪个部门管这事？") == []
    assert asked_act("由哪个部门负责审批？") == ["审批"]


def test_how_soon_or_how_often_is_answered_by_at_once_or_at_no_fixed_interval() -> None:
    soon = states_answer("出了安全事件，多长时间内要处置？", "number", "")
    assert soon("发生安全事件的，应当立即启动应急预案。")
    assert not soon("发生安全事件的，应当启动应急预案。")
    often = states_answer("监管部门多久检查一次？", "number", "")
    assert often("监管部门可以不定期开展现场检查。")
    assert not often("监管部门可以开展现场检查。")


def test_an_issuer_before_a_documents_short_name_is_no_part_of_it() -> None:
    from advisor.retrieval.doc_names import stands_for

    guide = "国家人工智能产业综合标准化体系建设指南（2024版）"
    assert stands_for("工信部AI标准化指南", guide)  # 工信部 in the count: 9 of 12 characters
    assert not stands_for("工信部AI标准化指南", "国家人工智能伦理治理指南")


def test_already_in_a_clause_describing_the_thing_asks_no_state() -> None:
    assert not asks_status("May a firm reuse data that has already been published? Under what limits?")
    assert asks_status("Has the city already opened the platform?")


def test_a_quantified_target_or_a_possessors_value_asks_for_a_figure() -> None:
    from advisor.retrieval.asks import ask_kind

    assert ask_kind("方案对机器人装机量有没有量化目标？") == "number"
    assert ask_kind("规划设定了什么量化指标？") == "number"
    assert ask_kind("规划定了哪些量化目标？") != "number"  # a list of the targets, whatever their form
    assert ask_kind("What is Zhejiang's current output value according to the plan?") == "number"
    assert ask_kind("What is Zhejiang's approach to data?") != "number"
