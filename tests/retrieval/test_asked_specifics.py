"""What a question asks for in particular — the office someone holds, which one a quoted term stands for,
a count in a unit, what a figure shows — and how the passages may word it (short forms, kinds of
things). Pure rules: no index."""

from __future__ import annotations

from advisor.retrieval.asks import (
    about_document,
    ask_kind,
)
from advisor.retrieval.doc_names import unquoted_titles
from advisor.retrieval.figures import has_amount, lists_items, only_caption
from advisor.retrieval.lexicon import names_kind, passage_words, short_for
from advisor.retrieval.particulars import asked_role, identified_term, identifies
from advisor.retrieval.places_named import places_in
from advisor.retrieval.units import asked_unit, has_number_in


def test_a_chinese_question_for_who_holds_an_office_names_the_office() -> None:
    assert asked_role("伦理委员会现在由谁当主任？") == ("主任",)
    assert asked_role("这个机构的负责人是谁？") == ("负责人",)
    assert asked_role("领导小组副组长由谁担任？") == ("组长",)
    assert asked_role("Who chairs the committee?") == ("主任", "主席", "召集人", "组长")
    assert asked_role("伦理委员会有哪些职责？") == ()


def test_a_counted_unit_asks_a_number_and_an_article_number_no_list() -> None:
    assert ask_kind("到现在一共办了几届？") == "number" and asked_unit("办了几届？") == "届"
    assert ask_kind("总量上限定了多少辆？") == "number" and asked_unit("多少辆") == "辆"
    assert (
        asked_unit("这家公司的注册资本是多少？") == "元" and asked_unit("项目总共投资多少？") == "元"
    )  # money
    assert ask_kind("反馈时限最长不能超过几天？") == "number"
    # 第三十五条 names an article: the question asks a figure, not a list of five
    assert ask_kind("条例第三十五条说的那个比例到底是多少？") == "number"
    assert ask_kind("第二十三条列举了哪些场景？") == "list"
    assert ask_kind("违法所得不足五千元和五千元以上的分别罚多少？") == "number"  # a figure for each
    assert ask_kind("两类主体分别是哪几个？") == "list"
    assert ask_kind("What transaction fee rate does the venue charge?") == "number"
    assert ask_kind("What role does the plan give to pilot zones?") != "number"


def test_a_date_states_no_number_of_days() -> None:
    assert not has_number_in("本办法于2023年7月10日公布", "天")
    assert has_number_in("应当在三十日内答复", "日") and has_number_in("十个工作日内办理", "天")


def test_a_question_is_about_the_document_only_when_the_document_issues_or_passes() -> None:
    assert not about_document("暂行办法要求企业公布投诉处理流程，时限是几天？")
    assert not about_document("规定施行以来，有多少个算法通过备案系统完成了备案？")  # 通过 as 'through'
    assert about_document("这部条例是哪次会议通过的？") and about_document("该办法什么时候起施行？")


def test_which_particular_one_a_quoted_term_stands_for() -> None:
    question = "条例第七条里的“市大数据管理机构”，具体是哪个单位？"
    assert identified_term(question) == "市大数据管理机构"
    assert not identifies("市大数据管理机构", "市大数据管理机构负责研究编制全市大数据战略。")
    assert identifies("数据商", "数据商是指从事数据产品开发、发布、承销的主体。")
    assert identified_term("“数据商”有哪些义务？") == ""  # asks what it must do, not which one it is
    # … or a term the question points back at, asked for its number or name
    assert identified_term("办法说要符合行业标准，这个行业标准的编号和名称是什么？") == "行业标准"
    assert not identifies("行业标准", "还应当符合相关行业标准的要求。")
    assert identified_term("“推进机构”正式名称叫什么？") == "推进机构"
    assert identified_term("这个行业标准有哪些要求？") == ""


def test_short_forms_are_made_of_the_words_first_characters() -> None:
    words = passage_words("郑洛新国家自主创新示范区条例。企业开展技术改造，一批企业家参与。")
    assert short_for("自创", words)  # 自主 创新
    assert short_for("技改", words)  # 技术改造
    assert not short_for("一家", words)  # 一批 … 企业家 are no words in a row
    assert not short_for("老牌", words)


def test_a_thing_of_a_kind_is_named_by_a_word_ending_in_that_kind() -> None:
    assert names_kind("公司", "由市人民政府确定的运营公司负责日常运营")
    assert not names_kind("公司", "运营机构原则上应当采取公司制组织形式")  # 公司制 is a form, no company


def test_a_figure_is_not_shown_by_its_caption() -> None:
    text = (
        "抓住云计算，人工智能，区块链等新一代信息技术赋能产业机会。\n\n图：四类新兴技术成熟度-影响力分布图\n"
    )
    assert only_caption("分布图里，区块链的成熟度打了多少分？", text)
    assert not only_caption("那张分布图一共涵盖了几类新兴技术？", text)  # the caption counts them: 四类
    assert not only_caption("区块链的成熟度打了多少分？", text)  # asks nothing of a figure
    # the figure named by its title in quotes, or pointed at (那张图), is asked about too
    assert only_caption("“四类新兴技术成熟度-影响力分布”图把哪类技术放在右上角？", text)
    assert only_caption("“四类新兴技术成熟度-影响力分布”这张图显示哪类技术最成熟？", text)
    # … or quoted as the caption writes it, without saying 图: the text has it only as a caption
    assert only_caption("报告提到“四类新兴技术成熟度-影响力分布图”，区块链排在哪里？", text)
    assert not only_caption("报告提到“新一代信息技术赋能产业机会”，指哪些技术？", text)


def test_a_date_or_a_document_number_is_no_amount() -> None:
    text = "第四十条 本条例自2022年7月1日起施行。依据人社部发〔2024〕37号文件制定。"
    assert not has_amount("罚款标准是多少？", text)
    assert not has_amount("要培养多少人才？", "为落实《行动方案（2024-2026年）》，制定本方案。")
    assert has_amount("这部条例施行多久了，期限是多少？", text)  # a question about time: a date may answer
    assert has_amount("罚款标准是多少？", "处五万元以上二十万元以下罚款。")
    assert asked_unit("对这种行为，罚款标准是多少？") == "元"  # a fine's standard is a sum
    assert asked_unit("补贴比例是多少？") != "元"  # … a share is not


def test_a_two_character_city_the_dictionary_takes_for_a_noun_is_a_place() -> None:
    assert set(places_in("报告是不是拿合肥做的案例？")) == {"合肥"}
    assert places_in("来宾代表提出了什么建议？") == {}


def test_a_preposition_is_no_part_of_a_documents_name() -> None:
    assert unquoted_titles("按浙江省高新技术促进条例，骗取认定证书有什么后果？") == ["浙江省高新技术促进条例"]


def test_a_sentence_lists_items_when_four_short_phrases_or_more_run_together() -> None:
    assert lists_items("行使所在地省辖市人民政府依法赋予的规划、教育、科技、财政、土地等经济和社会管理权限")
    assert not lists_items("根据人工智能应用的风险等级、应用场景、影响范围等具体情境，实施分级监管")


def test_what_came_after_a_text_is_asked_and_only_a_text_that_repeals_or_extends_answers() -> None:
    from advisor.retrieval.status import SUCCESSION, asks_successor

    assert asks_successor("暂行办法三年有效期到了以后，是哪份新文件接替的？")
    assert asks_successor("Have the interim measures been extended or replaced?")
    assert not asks_successor("暂行办法的有效期是几年？")
    assert SUCCESSION.search("本办法自2023年3月1日起施行，原《数据交易规则》同时废止。")
    assert not SUCCESSION.search("本办法自2023年3月1日起施行，有效期三年。")


def test_english_names_of_chinese_places() -> None:
    assert set(places_in("What housing subsidy does Xi'an give to AI talent?")) == {"西安市"}
    assert "合肥市" in places_in("What does Hefei offer AI start-ups?")["合肥市"]
    assert {"台州市", "泰州市"} <= set(
        places_in("Taizhou's data rules")["台州市"]
    )  # one romanization, two cities
    assert places_in("Ali and Tencent run large models") == {}  # a name far more often than 阿里地区


def test_every_province_and_city_has_an_english_name() -> None:
    from importlib.resources import files

    from advisor.places.regions import table

    written = {
        row.split("\t")[1]
        for row in files("advisor.places").joinpath("romanized.tsv").read_text(encoding="utf-8").splitlines()
    }
    kinds = ("province", "sar", "municipality", "prefecture")
    places = {e.name for e in table().entries.values() if e.kind in kinds}
    assert len(places) > 330 and places - written <= {"阿里地区"}


def test_another_grade_of_the_thing_asked_about_is_not_it() -> None:
    from advisor.retrieval.lexicon import sibling_of

    passages = "中型专精特新企业评估关键要素 商业模式 20% … 小微型专精特新企业评估关键要素"
    assert sibling_of("大型", "那大型专精特新企业的权重是多少？", passages) == "中型"
    assert sibling_of("中型", "中型专精特新企业的权重是多少？", passages) == ""  # it is there itself
    assert sibling_of("市人", "深圳市人工智能伦理委员会由谁负责？", "市人工智能伦理委员会") == ""  # no grade


def test_a_local_text_speaks_for_its_own_region_not_for_a_place_it_mentions() -> None:
    from advisor.retrieval.places_named import mentions, provinces_of, speaks_for
    from advisor.types import Hit

    def hit(region: str, text: str) -> Hit:
        return Hit(
            chunk_id=region, doc_id=region, title="条例", text=text, score=1.0, meta={"region": region}
        )

    local = hit("北京市", "第十条 本市推动与天津市、河北省等地区在自动驾驶汽车领域协同创新。")
    national = hit("全国", "推动京津冀、长三角协同发展，天津市建设先进制造研发基地。")
    assert provinces_of(["郑州", "河南省"]) == {"41"}
    assert not mentions([local], "天津市", provinces_of(["天津市"]))  # asked only about 天津
    assert mentions([local], "天津市", provinces_of(["天津市", "北京市"]))  # … or about 北京's text too
    assert mentions([national], "天津市", provinces_of(["天津市"]))
    # a figure asked of 浙江 comes from 浙江's or a national text, not from 汕头's
    assert speaks_for(national, provinces_of(["浙江"])) and speaks_for(
        hit("杭州市", "…"), provinces_of(["浙江"])
    )
    assert not speaks_for(hit("汕头市", "奖励不低于百分之五十"), provinces_of(["浙江"]))


def test_a_noun_of_rank_is_named_by_a_list_of_words_ending_in_its_first_character() -> None:
    assert names_kind("层级", "产业链环节注重能源层、算力层和应用层的区域发展规划")
    assert not names_kind("层级", "产业链环节注重能源和应用的区域发展规划")
    assert not names_kind("层级", "这一层的规划")  # one word of the kind is no list of them


def test_a_sentence_that_divides_a_thing_lists_its_parts() -> None:
    assert lists_items("公共数据按照开放属性分为无条件开放、有条件开放和非开放。")
    assert lists_items("数据分为一般数据和重要数据")
    assert not lists_items("项目应当分为若干阶段实施。")  # no items named
    assert not lists_items("按照风险等级、应用场景确定监管措施")  # criteria, not a list


def test_a_state_of_things_is_asked_only_from_the_first_clause_that_asks() -> None:
    from advisor.retrieval.status import asks_status

    # the asker's background (企业已经做了一轮信息化) asks nothing about how things stand
    assert not asks_status(
        "很多企业已经做了一轮信息化、数字化，报告认为政府下一步应该引导它们往哪个方向升级？"
    )
    assert asks_status("深圳那个伦理委员会到底成立了没有？成立以后发过白皮书吗？")  # …了没有？ asks
    assert asks_status("目前入库了多少家，分别是哪些？")


def test_whether_a_text_allows_something_asks_the_rule_not_the_state() -> None:
    from advisor.retrieval.status import asks_status

    assert not asks_status("车辆出了小事故，办法允许双方自己私了吗？")  # 了 of 私了, and asks what is allowed
    assert asks_status("双方后来自己私了了吗？")
    # … and so does whether one may do something at all (能不能, 可否), without 允许
    assert not asks_status("出境评估做完了，企业能不能直接把数据传过去了？")
    assert not asks_status("申报材料交上去以后，可否再补交了？")
    assert asks_status("出境评估已经做完了吗？")


def test_a_national_action_plan_is_not_the_citys_implementation_plan_of_it() -> None:
    from advisor.retrieval.doc_names import stands_for

    city = "北京市加快数字人才培育支撑数字经济发展实施方案（2024-2026年）"
    assert not stands_for("加快数字人才培育支撑数字经济发展行动方案", city)
    assert stands_for("北京加快数字人才培育支撑数字经济发展实施方案", city)


def test_places_named_in_english_search_as_their_chinese_names() -> None:
    from advisor.retrieval.places_named import romanized_places

    assert romanized_places("What does Sichuan's digital industry plan focus on?") == ["四川省", "四川"]
    assert romanized_places("四川的规划") == []


def test_what_in_fact_happened_or_so_far_asks_how_things_stand() -> None:
    """实际上 (in fact) and 到目前为止 (so far) ask what has been done, which a rule cannot say."""
    from advisor.retrieval.status import asks_status

    assert asks_status("条例说可以授权运营，那实际上授权给了哪家单位？")
    assert asks_status("到目前为止，全省一共认定了多少家示范企业？")
    assert not asks_status("条例对授权运营单位有什么要求？")
