"""The unit a number question asks in, whether a text states a number in it, and the thing a question
asks to be named."""

from __future__ import annotations

from advisor.retrieval.asks import about_document, ask_kind, asked_noun
from advisor.retrieval.doc_names import unquoted_titles
from advisor.retrieval.figures import (
    answered_in_words,
    answers_how_often,
    asks_period,
    defined_terms,
    has_number,
    has_period,
    states_answer,
)
from advisor.retrieval.grounding import Grounding
from advisor.retrieval.units import asked_unit, has_number_in


def test_the_unit_asked_for() -> None:
    assert asked_unit("某市数据交易额是多少亿元？") == "亿元"
    assert asked_unit("备案编号由几位数字组成？") == "位"
    assert asked_unit("核心产业增加值占比达到多少？") == ""
    assert asked_unit("已查处多少起违规案件？") == "起"  # cases are counted in 起, 件, 例
    assert not has_number_in("自2025年9月1日起施行", "起")  # a date before 起施行 counts no cases


def test_a_measure_word_that_begins_a_noun_is_no_unit() -> None:
    assert asked_unit("成果完成人最低能占多少份额？") == ""  # a share: 百分之七十, not so many 份
    assert asked_unit("这个区有多少人口？") == "" and asked_unit("每年给多少名额？") == ""
    assert asked_unit("已查处多少起未备案的案件？") == "起"  # 起未 is no noun
    assert asked_unit("需要多少家企业参与？") == "家"


def test_a_light_noun_asks_for_whatever_the_text_says() -> None:
    assert asked_noun("转让成果前要在单位里公示哪些信息？") == ""  # the name and the price, not 信息
    assert asked_noun("申请时要交哪些材料？") == ""
    assert asked_noun("挂牌的数据产品可以采用哪些形态？") == ""  # 数据集、API数据…: kinds, not 形态
    assert asked_noun("平台由哪家公司运营？") == "公司"


def test_a_number_in_that_unit() -> None:
    assert has_number_in("规模达到1000亿元", "亿元") and has_number_in("规模达到10万亿元", "亿元")
    assert not has_number_in("亿元规模的基金", "亿元")  # the unit without a number states nothing
    assert has_number_in("应当在十个工作日内办理", "天")  # days are also 日 and 工作日
    assert not has_number_in("应当及时办理", "天")


def test_a_number_is_asked_by_an_interrogative_not_by_a_quantity_noun() -> None:
    assert ask_kind("知识产权占注册资本的比例是多少？") == "number"
    assert ask_kind("数据中心的能耗占多大比重？") == "number"
    assert ask_kind("知识产权占注册资本的比例怎么定？") != "number"  # asks how it is set: a rule in words
    assert ask_kind("财政科技经费的增长幅度有什么要求？") != "number"


def test_a_figure_by_nature_asked_what_it_is_asks_a_number() -> None:
    assert ask_kind("条例对新建算力中心的数量有什么要求？") == "number"
    assert ask_kind("规划给出了怎样的量化目标？") == "number"
    assert ask_kind("办法对申请人的从业年限有什么规定？") == "number"
    assert ask_kind("专项资金的额度是什么？") == "number"
    assert ask_kind("办法对数据质量有什么要求？") != "number"  # no figure by nature: a rule in words


def test_numbers_in_words_with_their_measure_and_periods_for_how_often() -> None:
    assert has_number("不得向未满十四周岁的未成年人推送")
    assert has_number("应当在三十个工作日内完成")
    assert not has_number("快速集聚一批人才")  # a vague quantity answers no 多少
    words = "协调小组多久开一次会？"
    sentence = "协调小组每年召开会议，研究部署重点工作。"
    assert not has_number(sentence) and answers_how_often(words, sentence)
    assert not answers_how_often("每年能拿到多少补贴？", sentence)  # 多少 asks an amount, not a period


def test_a_standard_for_growth_answers_how_much_to_grow() -> None:
    standard = "确保财政科技投入的增长幅度高于财政经常性收入的增长幅度。"
    assert not has_number(standard)
    assert answered_in_words("县里的财政科技经费每年该涨多少？", standard)
    assert answered_in_words("科技经费每年增长多少？", standard)
    assert not answered_in_words("科技经费每年有多少？", standard)  # an amount, not its growth
    assert not answered_in_words("科技经费每年该涨多少？", "逐年加大科技创新财政投入。")  # no standard


def test_words_that_only_look_like_a_count_state_no_figure() -> None:
    assert not has_number("企业拥抱数字化与智能化，实现生产力的二次进化")  # a second evolution
    assert not has_number("对首次落户的企业给予一次性奖励")  # a one-off award, no amount
    assert has_number("协调小组每年召开一次会议") and has_number("连续两次考核不合格")


def test_a_ratio_asked_by_what_and_a_figure_asked_in_a_sentence_of_its_own() -> None:
    assert ask_kind("这笔引导基金应该按什么比例分配？") == "number"
    assert ask_kind("按什么标准分配？") != "number"  # a standard may be words
    # two sentences: the list is asked in one, a figure on its own in the other
    assert ask_kind("实施分成哪几个阶段？每个阶段要多长时间？") == "number"
    assert ask_kind("实施分成哪几个阶段，每个阶段有多长？") == "list"  # one sentence: its items
    assert ask_kind("实施分成哪几个阶段？各阶段由谁牵头？") == "list"


def test_a_code_asked_for_is_a_figure() -> None:
    assert ask_kind("这项配套国家标准的编号是什么？") == "number"
    assert ask_kind("它的标准号是多少？") == "number"
    assert not has_number("还应当符合强制性国家标准的要求。")  # no code there
    assert has_number("应当符合GB 45438-2025的要求。")


def test_refusal_reasons_leave_out_segmentation_guesses() -> None:
    g = Grounding(
        grounded=False, coverage=0.2, missing=["方在", "看重", "用户"], reason="资料未覆盖问题中的关键内容"
    )
    assert "方在" not in g.explanation() and "看重" in g.explanation()


def test_questions_about_a_document_itself() -> None:
    from advisor.retrieval.asks import about_document

    assert about_document("这两部规定分别是第几号令？")
    assert about_document("这份办法的公布日期是哪天？")
    assert not about_document("这部办法对服务提供者有哪些要求？")
    assert about_document("When was the regulation published?")
    assert about_document("这份报告的执笔人是谁？")  # 执笔人 wrote it: the title page names the author
    # 出台 that names the next document (后来出台的…办法) asks nothing about either
    assert not about_document("深圳的数据条例和后来出台的数据交易管理暂行办法分别从哪些维度构建定价指标？")
    assert about_document("深圳的数据交易管理暂行办法是什么时候出台的？")
    assert about_document("该办法是哪年出台的？")
    # authorities the regulation charges are no author of it
    assert not about_document(
        "Under the data regulation, which authorities lead the response to an incident?"
    )


def test_document_names_written_without_brackets() -> None:
    from advisor.retrieval.doc_names import unquoted_titles

    assert unquoted_titles("杭州市促进具身智能机器人产业发展的若干措施里对企业有什么补贴？") == [
        "杭州市促进具身智能机器人产业发展的若干措施"
    ]
    assert unquoted_titles("市场培育环节要求地方政府依据什么制定发展规划？") == []  # asks, names nothing
    assert unquoted_titles("上海数据条例和北京数字人才方案怎么规定的？") == []  # two short names, joined


def test_a_passage_that_leaves_the_specifics_to_another_text_does_not_answer_for_them() -> None:
    from advisor.retrieval.figures import defers_after

    text = (
        "第十条 市人民政府可以根据发展需要遴选示范园区。示范园区参照本条例执行。\n\n"
        "示范园区建设和管理的具体办法，由市人民政府另行制定。\n\n第十一条 本条例自2025年1月1日起施行。"
    )
    assert defers_after("示范园区具体有哪些？", text)
    later = "第十条 市人民政府遴选示范园区。\n\n第十一条 具体办法由市人民政府另行制定。"
    assert not defers_after("示范园区具体有哪些？", later)  # another article's deferral says nothing
    # … and a scope a body is to draw up and publish defers the question naming that scope
    scope = (
        "第十七条 市人民政府统筹确定自动驾驶汽车可以通行的区域、道路。前款规定的区域、道路范围，"
        "由市交通等相关部门按照确保安全的原则协同拟订，报市人民政府批准后向社会公布。"
    )
    assert defers_after("可以通行的区域具体包括哪几个区？", scope)
    assert not defers_after("通行区域由哪些部门拟订？", scope.replace("区域、道路范围", "标准"))


def test_english_which_or_what_with_a_plural_noun_asks_for_a_list() -> None:
    assert ask_kind("Which application scenarios for driverless cars does the city support?") == "list"
    assert ask_kind("What rights do delivery riders have under the rules?") == "list"
    assert ask_kind("Which ministry regulates data trading?") != "list"
    assert ask_kind("What does the report say about funds?") != "list"
    assert ask_kind("What status does the regulation have?") != "list"


def test_when_with_a_modal_asks_for_a_condition_not_a_date() -> None:
    assert ask_kind("When may a platform refuse to serve a user?") != "date"
    assert ask_kind("When does the regulation take effect?") == "date"


def test_a_question_about_the_circumstances_asks_for_their_list() -> None:
    assert ask_kind("在什么情况下可以不公开招标？") == "list"
    assert ask_kind("Under what circumstances may data be shared?") == "list"
    assert ask_kind("When can a provider stop the service?") == "list"


def test_an_amount_of_money_is_asked_in_yuan() -> None:
    assert ask_kind("违规收集数据的企业要罚多少？") == "number"
    assert asked_unit("违规收集数据的企业要罚多少？") == "元"
    assert asked_unit("What is the maximum fine for selling personal data?") == "元"
    assert ask_kind("What fine applies to a platform that hides its algorithm?") == "number"
    assert asked_unit("罚款多少天内缴清？") == "天"  # the unit it names wins
    assert ask_kind("劳务费和绩效奖励有比例上限吗？") != "number"  # money named, no amount asked


def test_english_when_asks_a_date_only_as_an_interrogative() -> None:
    assert ask_kind("When did the labelling measures take effect?") == "date"
    assert ask_kind("When will the data regulation be revised?") == "date"
    assert ask_kind("What must a platform do when publishing synthetic videos?") != "date"
    assert ask_kind("When a researcher joins a start-up, what must be agreed?") != "date"
    assert (
        ask_kind("When regulators inspect a generative AI service, what must the provider explain?") != "date"
    )


def test_a_measure_after_how_many_asks_a_number_not_a_list() -> None:
    assert ask_kind("受理投诉后最迟要在几个工作日内反馈？") == "number"
    assert asked_unit("受理投诉后最迟要在几个工作日内反馈？") == "工作日"
    assert ask_kind("条例从哪几个方面支持企业？") == "list"  # 几个方面 counts items
    assert ask_kind("首席数据官需要取得几级证书？") == "number"


def test_english_list_and_number_phrases() -> None:
    assert ask_kind("深圳条例里的场景需求清单（scenario demand list）多长时间发布一次？") == "number"
    assert ask_kind("List the duties of a platform.") == "list"
    assert ask_kind("What is the cap on the number of vehicles in each scenario?") == "number"
    assert ask_kind("What is the computing capacity of the city's public platform?") == "number"
    assert ask_kind("What is the registered capital of the publisher?") == "number"
    assert ask_kind("What is the purpose of the regulation?") != "number"


def test_a_count_of_months_is_no_list() -> None:
    assert ask_kind("甲办法要求日志留存不少于六个月，乙规定要求至少留存多久？") == "number"
    assert ask_kind("报告提出了哪四个方面的举措？") == "list"


def test_the_thing_a_question_asks_to_be_named() -> None:
    assert asked_noun("这支引导基金由哪家公司负责管理？") == "公司"
    assert asked_noun("该领导小组的组长由谁担任？") == "组长"  # jieba's dictionary tags 组长 a verb
    assert asked_noun("推进机构的全称是什么？") == "全称"
    assert asked_noun("首批试点设在哪些城市？") == "城市"
    # nothing specific: a light noun, a body (checked as a body), a number, a date, the document itself
    assert asked_noun("条例对企业提出了哪些要求？") == ""
    assert asked_noun("由哪个部门负责组织实施？") == ""
    assert asked_noun("补贴比例是多少？") == ""
    assert asked_noun("这份办法是哪天印发的？") == ""
    assert asked_noun("What does the regulation require of providers?") == ""


def test_an_english_question_for_the_company_that_does_something_asks_its_name() -> None:
    assert asked_noun("Which company operates the city's computing platform?") == "公司"
    assert asked_noun("Which firms should the fund back?") == ""  # a kind of firm, not one by name


def test_a_body_asked_for_an_article_is_no_question_about_the_document() -> None:
    """Which body issued a text asks about the document; which body interprets it or guides a task asks
    what an article says."""
    from advisor.retrieval.asks import about_document

    assert about_document("这份规定是哪个部门发布的？")
    assert about_document("该办法由哪个部门印发？")
    assert not about_document("算法推荐管理规定由哪个部门负责解释？")
    assert not about_document("实施方案里，全市数字人才队伍建设由哪个机构负责指导？")


def test_a_date_the_question_gives_as_context_asks_nothing_about_the_document() -> None:
    from advisor.retrieval.asks import about_document

    assert about_document("该办法什么时候施行？")
    assert about_document("这份规定是哪天发布的？")
    assert not about_document("标识办法2025年9月1日施行以来，查处了多少起案件？")
    assert not about_document("这份意见印发以后，企业要做哪些准备？")
    assert not about_document("这份意见发布时，全国已有多少家企业用上了大模型？")  # 发布时 dates the figure


def test_english_questions_about_who_issued_a_text_and_when_it_applies_ask_about_the_document() -> None:
    from advisor.retrieval.asks import about_document

    assert about_document(
        "Which two ministries jointly issued the labeling rules, and when do they take effect?"
    )
    assert about_document("From what date does the Hangzhou regulation apply?")
    assert about_document("What agency published the standardization guide?")
    assert not about_document("Which department supervises algorithm filing under these rules?")
    assert not about_document("What do the data rules apply to?")


def test_a_refusal_names_things_not_the_askers_grammar() -> None:
    from advisor.retrieval.grounding import NO_FIGURE

    missing = ["出来", "最少", "如果", "期限"]  # …做出来的成果…最少占多少…如果只给使用权，期限至少多长
    said = Grounding(grounded=False, coverage=0.9, missing=missing, reason=NO_FIGURE).explanation()
    assert "期限" in said and not any(w in said for w in ("出来", "最少", "如果"))
    missing = ["区分", "这个", "数值", "超过"]
    said = Grounding(
        grounded=False, coverage=0.2, missing=missing, reason="资料未覆盖问题中的关键内容"
    ).explanation()
    assert said == "资料里没有涉及“区分”、“数值”的内容"
    assert (
        Grounding(grounded=False, coverage=0.9, missing=["那部", "别人"], reason=NO_FIGURE).explanation()
        == NO_FIGURE
    )
    # … and what a figure is of is a thing: 干满多久，才能享受 has none of 才能
    said = Grounding(grounded=False, coverage=0.9, missing=["才能", "期限"], reason=NO_FIGURE).explanation()
    assert "期限" in said and "才能" not in said
    assert (
        Grounding(grounded=False, coverage=0.9, missing=["交给", "限制"], reason=NO_FIGURE).explanation()
        == NO_FIGURE
    )


def test_a_figure_for_each_of_several_things_asks_numbers_not_a_list() -> None:
    assert ask_kind("研发和采购两个环节的数字化渗透率分别是多少？") == "number"
    assert ask_kind("两只基金的规模分别有多少亿元？") == "number"
    assert ask_kind("意见提出的六项重点行动分别是什么？") == "list"
    assert ask_kind("研发和采购这两个环节的渗透率是多少？") == "number"  # 这两个 points back, counts nothing
    assert ask_kind("研发和采购这两个环节包括哪些工作？") == "list"


def test_a_list_a_text_will_draw_up_is_not_yet_written() -> None:
    from advisor.retrieval.figures import defers_after

    text = "第二十条 本市在自贸片区内探索制定数据出境负面清单，促进数据依法有序流动。"
    assert defers_after("自贸片区的数据出境负面清单里有哪些数据？", text)
    assert not defers_after("自贸片区有哪些促进数据流动的措施？", text)  # no list is asked for


def test_a_headings_number_is_no_figure() -> None:
    from advisor.retrieval.figures import has_number, unnumbered

    heading = "2.4 紧贴五大高质量发展之道谋布局：数字化转型\n实体经济数字化转型各环节渗透率"
    assert has_number(heading) and not has_number(unnumbered(heading))
    assert has_number(unnumbered("2025年目标 10%")) and has_number(unnumbered("2025 年目标"))


def test_a_time_already_named_is_not_asked_for() -> None:
    assert ask_kind("离岗创业这段时间，人事关系还保留吗？") != "date"
    assert ask_kind("一段时间内能不能再申报？") != "date"
    assert ask_kind("这部条例的施行时间是？") == "date"
    assert ask_kind("这个论坛一般每年啥时候开？") == "date"  # colloquial 什么时候
    assert ask_kind("啥时开始施行？") == "date"


def test_a_body_is_a_department_not_a_word_ending_like_one() -> None:
    from advisor.retrieval.bodies import BODY

    for body in ("市经济和信息化局", "国家发展改革委", "国务院", "工业和信息化部", "省公安厅", "网信部门"):
        assert BODY.search(body), body
    for word in ("统筹布局", "作出部署", "部分地区", "全部数据", "建立部际协调机制", "委托评估"):
        assert not BODY.search(word), word


def test_a_value_by_name_or_a_count_by_its_measure_word_asks_a_number() -> None:
    assert ask_kind("报告有没有给出产业基金规模的建议值？") == "number"
    assert ask_kind("规划对宽带用户数设定了什么目标值？") == "number"
    assert ask_kind("特别表决权股份每一股最多可以对应几票？") == "number"
    assert ask_kind("领导小组的编制人数是什么？") == "number"
    assert ask_kind("这项工作分几步？") != "number"  # steps: a list
    assert ask_kind("这件事值得做吗？") == "yesno"


def test_how_big_asks_a_figure_of_a_quantity_not_an_extent() -> None:
    assert ask_kind("示范区在财政上有多大自主权？") != "number"
    assert ask_kind("能给企业多大的支持？") != "number"
    assert ask_kind("政府出资占多大比例？") == "number"
    assert ask_kind("基金规模多大合适？") == "number"
    assert ask_kind("补贴力度有多大？") == "number"


def test_a_statement_before_the_question_does_not_set_what_is_asked() -> None:
    # 几家 in the asker's background sentence means "a few"; the question mark's sentence asks
    assert ask_kind("有人说招几家大企业就够了。报告怎么看待各类主体之间的关系？") != "number"
    assert ask_kind("有人说招几家大企业就够了。报告建议引进几家？") == "number"
    # … unless what follows asks nothing by itself (a follow-up: 深圳呢？ asks what the whole asks)
    assert ask_kind("上海的补贴是多少。深圳呢？") == "number"


def test_when_a_text_was_amended_is_a_question_about_the_document() -> None:
    assert about_document("现行《某省条例》是哪次会议修正的？")
    assert about_document("这部条例什么时候修订的？")
    assert not about_document("条例修订以来，各地落实得怎么样？")  # dates the context, asks no fact of it


def test_a_clause_of_the_question_or_a_verb_taking_a_text_is_no_part_of_a_documents_name() -> None:
    # 规定 after 又没有相应处罚 is "provision", the asker's clause: no title
    assert unquoted_titles("违反办法，而法律、行政法规又没有相应处罚规定的，主管部门可以如何处理？") == []
    # 报告摘录的 introduces the name, as 报告引用的 does: what is left is too short to be a title
    assert unquoted_titles("甲子光年报告摘录的浙江省规划提到了哪些领域？") == []
    # 有没有 asks (A-not-A): 数据条例 alone is too short to be a title; the place (厦门) is checked as a place
    assert unquoted_titles("厦门经济特区有没有数据条例？") == []


def test_a_property_asked_for_is_whatever_the_text_says() -> None:
    # the text's 特征 and its 自主性、可持续性
    assert asked_noun("条例所称智慧经济以什么为核心生产要素？具有哪些特性？") == ""


def test_the_askers_own_document_being_written_is_no_title() -> None:
    # 我们 is one word of the asker's clause, and what they are writing is their own text
    assert unquoted_titles("我们在写区里的科技项目申报指南，想设个门槛，北京那边是怎么规定的？") == []
    assert unquoted_titles("我们在写区里的数据要素市场化配置改革实施方案，条例里有没有依据？") == []


def test_a_direction_or_path_asked_for_is_whatever_the_text_says() -> None:
    assert asked_noun("报告认为政府下一步应该引导企业往哪个方向升级？") == ""
    assert asked_noun("产业链要走哪条路径才能突破上游？") == ""
    assert asked_noun("报告为此列出了哪几条要点？") == ""


def test_a_figure_asked_in_a_unit_or_of_an_area_is_a_number() -> None:
    assert ask_kind("What is the total planned land area, in square kilometres, of the zone?") == "number"
    assert ask_kind("What is the planned area of the demonstration zone?") == "number"
    assert ask_kind("How large is the fund, in yuan?") == "number"


def test_a_few_in_the_askers_story_asks_no_number() -> None:
    """几 where the asker speaks of their own place (我们区有几家企业想…，) means "a few"; 几 in a
    clause that ends in a question mark asks, whatever follows."""
    assert ask_kind("我们区有几家软件企业想一起建实训基地，省里的条例支持哪种合作方式？") != "number"
    assert ask_kind("我们本地几所职业院校准备开设数据标注专业，文件里有没有相关的支持？") != "number"
    assert ask_kind("授权运营的期限一般是几年？期满以后怎么续？") == "number"


def test_a_document_name_follows_a_verb_of_mentioning() -> None:
    assert unquoted_titles("报告引述浙江省“十四五”期间实施的数字经济跨越发展计划，重点有哪些？") == [
        "浙江省“十四五”期间实施的数字经济跨越发展计划"
    ]


def test_an_english_question_for_a_standards_number_asks_a_number() -> None:
    assert ask_kind("What is the GB number of the standard that Article 5 refers to?") == "number"


def test_digits_that_name_a_thing_are_no_figure() -> None:
    """5G, 3D and B2B name technologies: a sentence listing them states no figure of anything."""
    assert not has_number("聚焦5G、3D打印、超高清视频等新兴产业")
    assert has_number("新建5G基站2万个")
    assert has_number("研发投入增长30%")


def test_the_terms_a_passage_defines() -> None:
    text = "- 算效比，反映单位电力所能完成的计算量。\n- 它能体现能源效率。\n\n新一代算力：算效比大于50"
    assert defined_terms(text, "那个看单位电力能完成多少计算的指标，到多少算新一代？") == ["算效比"]
    assert (
        defined_terms(text, "算力曲线图上各项能力的得分是多少？") == []
    )  # the question describes something else
    assert (
        defined_terms("数据要素市场建设取得进展，反映了改革成效。", "改革成效如何？") == []
    )  # no term defined


def test_a_definition_is_stated_never_named() -> None:
    """定义 is what …是指 states: no passage names a 定义, and none need say the word."""
    assert asked_noun("浙江省高新技术促进条例对“高新技术”下的定义是什么？") == ""
    assert asked_noun("这个概念的含义是什么？") == ""


def test_a_text_as_it_stands_is_named_without_its_modifier() -> None:
    assert unquoted_titles("现行的浙江省高新技术促进条例最初在哪天通过？") == ["浙江省高新技术促进条例"]
    assert unquoted_titles("修订后的浙江省高新技术促进条例有几章？") == ["浙江省高新技术促进条例"]


def test_an_english_share_is_a_number_and_those_two_counts_nothing() -> None:
    assert ask_kind("What exact share of firms does the report put in those two layers?") == "number"
    assert asked_unit("What exact share of firms does the report put there?") == "%"
    assert ask_kind("What are the three layers of the chain?") == "list"


def test_a_guide_published_from_time_to_time_is_not_in_the_text() -> None:
    from advisor.retrieval.figures import defers_after

    text = "第七条 省人民政府应当定期公布本省优先发展的高新技术产业化重点领域指南。"
    assert defers_after("最新一版指南列了哪些重点领域？", text)
    assert not defers_after("省人民政府负责公布什么？", text)  # names no such guide


def test_a_when_in_another_clause_dates_what_that_clause_names_not_the_document() -> None:
    assert not about_document("按报告的划分，第四阶段从哪一年算起？")
    assert about_document("这份报告是哪一年发布的？")
    assert about_document("这个规划哪一年出台的？")
    assert about_document("这份写给地方政府的报告，标题是什么、哪年几月出的？")  # the clause right after it


def test_how_many_of_a_thing_asks_for_that_thing() -> None:
    """划成几个级别 asks for the levels: the passages must name them, not only the criteria for them."""
    assert asked_noun("这项制度把服务提供者划成几个级别？") == "级别"
    assert asked_noun("包括几个方面？") == ""  # a light noun: whatever the text lists
    assert asked_noun("有人说招几家头部厂商就够了。报告怎么看产业链各角色的关系？") == ""  # a statement tells


def test_a_count_in_the_background_does_not_make_a_figure_question_a_list() -> None:
    """五类角色 names what the asker is talking about; the clause that asks wants a share."""
    assert (
        ask_kind("报告的五类角色（供给方、需求方等）里，按报告的测算，投资方投向模型层的比例是多少？")
        == "number"
    )
    assert ask_kind("报告提出的四项具体举措，分别是什么？") == "list"
    assert ask_kind("报告提出了哪几项举措？") == "list"


def test_english_questions_asking_which_body_acts() -> None:
    from advisor.retrieval.bodies import asks_body

    assert asks_body("Which national agency is charged with overall coordination?")  # a word between
    assert asks_body("Who is in charge of the committee's daily work?")
    assert asks_body("Which department is responsible for road tests?")
    assert not asks_body("Which of the two documents is newer?")
    assert not asks_body("Who can apply for a road test?")


def test_english_questions_asking_a_figure_already_named_or_a_deadline() -> None:
    from advisor.retrieval.asks import ask_kind

    assert ask_kind("What exactly is that ratio?") == "number"
    assert ask_kind("By what deadline must the cities submit their reports?") == "number"
    assert ask_kind("What is the deadline for filing?") == "number"
    assert ask_kind("What is the role of the committee?") != "number"


def test_how_often_or_how_long_is_answered_by_a_period_not_a_fine() -> None:
    ask = "试点车辆多长时间要送检一次？"
    assert asks_period(ask) and not asks_period("罚款是多少？")
    frequently = "How frequently must processors of important data conduct a risk assessment?"
    assert asks_period(frequently) and ask_kind(frequently) == "number"
    present = states_answer(ask, "number", asked_unit(ask))
    assert not present("违反规定的，处一万元以上三万元以下罚款。")  # an amount of money is no period
    assert present("应当自收到材料之日起二十个工作日内作出决定。")
    assert present("每半年组织一次检测。")  # a period in words
    assert not has_period("本条例自2024年4月1日起施行。")  # a date is no length of time


def test_a_relative_who_asks_for_no_body() -> None:
    assert ask_kind("Who approves the filing?") == "who"
    assert ask_kind("Under these rules, who approves the filing?") == "who"
    assert ask_kind("What support is there for a graduate who starts a company?") != "who"
    assert ask_kind("What is the maximum fine for a platform that hides the label?") == "number"
    assert ask_kind("What is that regulation's number?") == "number"


def test_a_count_inside_what_the_question_disposes_of_asks_no_number() -> None:
    assert ask_kind("能不能把获得过多少项专利列为评审条件？") == "yesno"
    assert ask_kind("把补助标准定为多少比较合适？") == "number"  # the figure asked comes after 定为


def test_these_few_points_back_and_a_rate_is_a_percentage() -> None:
    assert ask_kind("上面提到的这几个环节，报告给出渗透率是多少了吗？") == "number"
    assert ask_kind("这几个环节都有哪些？") == "list"
    assert asked_unit("该类企业的所得税税率是多少？") == "%"
    assert asked_unit("检测的频率是多少？") != "%"  # how often is no percentage
