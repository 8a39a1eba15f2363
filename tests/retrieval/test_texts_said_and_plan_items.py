"""Asks batch 61's dev failures showed: whether a text mentions something is no question of how things
stand; "already" in a description is no status; a modal before 由谁 names no thing; a text's term of
validity is stated on its last line; a measurable thing's standard asked with 有什么; a plan item's bodies
close its paragraph in the chunk that continues it."""

from __future__ import annotations

from synthetic_passages import passages

from advisor.index.snapshot import ChunkRecord, DocumentMeta, Manifest, Snapshot
from advisor.retrieval.asks import ask_kind, asked_noun
from advisor.retrieval.doc_facts import stating_lines
from advisor.retrieval.grounding import NO_BODY, assess
from advisor.retrieval.status import asks_status
from advisor.types import Hit


def test_whether_a_text_mentions_something_asks_what_it_says() -> None:
    """都提到卫星互联网了吗 asks what two texts say; 上线了吗 still asks how things stand."""
    assert not asks_status("国家规划和北京条例在网络基础设施上都提到卫星互联网了吗？各自还强调了什么？")
    assert not asks_status("这个条例写进数据跨境的内容了没有？")
    assert asks_status("这个平台上线了吗？")


def test_already_in_a_description_is_no_question_of_status() -> None:
    """ "processing a company already carried out" describes a case; "has it been issued yet" asks."""
    assert not asks_status(
        "Under the data regulations, once a user withdraws consent, does that make the processing a company "
        "already carried out unlawful?"
    )
    assert not asks_status("How should the city handle data centres that already exist?")
    assert asks_status("这个办法 has it been issued yet？")
    assert asks_status("Has Shenzhen already fined any company under it?")


def test_a_modal_before_who_names_no_thing() -> None:
    """应该由谁统筹收集 asks who acts (the body rule's work), not for a thing called 应该."""
    assert asked_noun("这类公共数据，按条例应该由谁统筹收集？") == ""
    assert asked_noun("领导小组的组长由谁担任？") == "组长"


def test_a_measurable_things_standard_asked_with_what_asks_a_figure() -> None:
    """时长有什么标准 asks a figure, as 时长有没有标准 does; 原则有什么要求 does not."""
    assert ask_kind("这类场所的WiFi最低带宽和单次连接时长有什么标准？") == "number"
    assert ask_kind("带宽有哪些具体要求？") == "number"
    assert ask_kind("收集数据的原则有什么要求？") != "number"


def _snapshot(texts: list[str]) -> Snapshot:
    doc = DocumentMeta(doc_id="m", title="某市数据交易管理暂行办法", level="city", region="某市", path="m.md")
    at = 0
    chunks = []
    for i, t in enumerate(texts):
        chunks.append(
            ChunkRecord(chunk_id=f"m-{i}", doc_id="m", text=t, start=at, end=at + len(t), tokens="")
        )
        at += len(t)
    return Snapshot(Manifest(embedder="fake", docs={"m": doc}), chunks)


def test_a_texts_term_of_validity_is_stated_by_its_last_article() -> None:
    """有效期是几年 is answered by 本办法自…起施行，有效期三年, however little it shares with the question."""
    snap = _snapshot(
        ["第一条 为规范数据交易，制定本办法。", "第三十五条 本办法自2023年3月1日起施行，有效期三年。"]
    )
    lines = stating_lines("这个暂行办法的有效期是几年？", "m", snap)
    assert [line for _, line in lines] == ["第三十五条 本办法自2023年3月1日起施行，有效期三年。"]
    assert stating_lines("这个暂行办法规范哪些交易？", "m", snap) == []


def _continued(texts: dict[str, str]) -> list[Hit]:
    hits, _ = passages(texts, "某市数字人才实施方案")
    at = 0
    for h in hits:  # consecutive chunks of one document
        h.meta.update(start=at, end=at + len(h.text))
        at += len(h.text)
    return hits


def test_a_plan_items_bodies_in_the_chunk_that_continues_it_name_who_is_responsible() -> None:
    """Asked who is responsible for an item, the bracket of bodies closing its paragraph, cut into the next
    chunk, names them; without it the passages name no body."""
    texts = {
        "a": "三、加大人才培育平台建设\n（五）深化产学研融合培养体系建设。探索新工科研究与实践，加强学科专业建设。",
        "b": "支持高校与企业联合培养复合型人才。（市教委、市经济和信息化局）\n（六）完善人才基地建设。",
    }
    question = "实施方案里深化产学研融合培养体系建设这一条由哪些部门负责？"
    hits = _continued(texts)
    _, keyword = passages(texts, "某市数字人才实施方案")
    assert assess(question, hits, keyword).reason != NO_BODY
    cut = {"a": texts["a"], "b": "支持高校与企业联合培养复合型人才。\n（六）完善人才基地建设。"}
    hits = _continued(cut)
    _, keyword = passages(cut, "某市数字人才实施方案")
    assert assess(question, hits, keyword).reason == NO_BODY


def test_which_counties_or_cities_are_not_answered_by_the_provinces_a_plan_lists() -> None:
    """哪些县市 asks places below a province: a plan listing 贵州、内蒙古、甘肃、宁夏 names none, a text
    naming 芜湖 does."""
    from advisor.retrieval.refusal import NO_THING

    question = "规划提出建设数据中心集群，枢纽节点下的数据中心集群具体落在哪些县市？"
    listed = {"a": "在贵州、内蒙古、甘肃、宁夏等地区布局全国一体化算力网络国家枢纽节点，建设数据中心集群。"}
    hits, keyword = passages(listed, "某数字经济发展规划")
    assert assess(question, hits, keyword).reason == NO_THING
    named = {"a": "在芜湖、韶关等地建设数据中心集群，布局全国一体化算力网络国家枢纽节点。"}
    hits, keyword = passages(named, "某数字经济发展规划")
    assert assess(question, hits, keyword).reason != NO_THING


def test_which_companies_a_text_lists_are_asked_by_name() -> None:
    """ "which companies are listed" asks for companies' names, as "which company" does; "which firms
    qualify" asks for a kind of firm, which a text gives in its own words."""
    assert (
        asked_noun("In the report's industry-chain figure, which companies are listed in the model layer?")
        == "公司"
    )
    assert asked_noun("Which company operates the exchange?") == "公司"
    assert asked_noun("Which firms qualify for the subsidy?") != "公司"


def test_a_plan_the_asker_is_making_is_no_title_the_corpus_lacks() -> None:
    """我们在做…培育方案 is the asker's own plan in the making, not a document the corpus must hold; a named
    city's measures still are."""
    from advisor.retrieval.doc_names import unquoted_titles

    assert (
        unquoted_titles("我们市大数据局在做数据要素市场培育方案，想参照国家规划：规划要聚焦哪些环节？") == []
    )
    assert unquoted_titles("广州市加快人工智能产业高质量发展若干措施里怎么说？") == [
        "广州市加快人工智能产业高质量发展若干措施"
    ]


def test_a_few_things_the_asker_means_to_do_ask_no_count() -> None:
    """想增设几个处室，需要报批吗 asks whether, not how many; 想知道有几个片区 still asks a count."""
    assert asked_noun("管委会想自己增设或调整几个内设处室，需要先报批吗？") == ""
    assert asked_noun("我想知道示范区有几个片区？") == "片区"


def test_what_a_named_evaluation_concluded_is_a_question_of_what_came_of_it() -> None:
    """The review's finding is no text's provision, however long the plan's name before "conclude"."""
    assert asks_status(
        "What did the mid-term evaluation of the 14th Five-Year Digital Economy Development Plan conclude?"
    )
    assert not asks_status("What does the Digital Economy Development Plan say about evaluation?")


def test_disciplinary_measures_asked_are_a_sanction_but_a_discipline_mechanism_is_not() -> None:
    """对不合格企业采取哪些惩戒措施 asks what sanction follows; 失信惩戒机制由谁建立 asks who builds it."""
    from advisor.retrieval.sanctions import asks_sanction

    assert asks_sanction("对评估不合格的人工智能企业可以采取哪些处理或惩戒措施？")
    assert not asks_sanction("失信惩戒机制由谁建立？")


def test_a_template_asked_is_a_make_up_only_a_text_giving_one_answers() -> None:
    """What template a report must follow asks a form; a text that only requires the report gives none."""
    from advisor.retrieval.particulars import asks_format, states_format

    assert asks_format("What template must the algorithm self-assessment report follow?")
    assert asks_format("自评估报告有没有统一的模板？")
    assert not states_format("备案时应当填报算法自评估报告等信息。")
    assert states_format("自评估报告按照国家网信部门制定的模板填写。")


def test_the_years_of_a_five_year_plan_named_by_its_period_are_there() -> None:
    """ "the plan for 2021-2025" names the 十四五 plan by its years: a passage of it need not print them;
    a year outside its period (2030) is still missing."""
    from advisor.retrieval.named_things import hard_misses

    texts = {"a": "深化新型智慧城市建设，因地制宜构建数字孪生城市。"}
    hits, keyword = passages(texts, "“十四五”数字经济发展规划")
    haystack = "“十四五”数字经济发展规划 " + texts["a"]
    question = "What does the national digital economy plan for 2021-2025 say about digital-twin cities?"
    assert not {"2021", "2025"} & set(hard_misses(question, hits, haystack, keyword))
    assert "2030" in hard_misses("What does the plan say about 2030?", hits, haystack, keyword)


def test_which_bank_asks_one_by_its_name_not_by_its_role() -> None:
    """哪一家银行 (which bank settles the funds): 开户银行或非银行支付机构 names a role, 中国银行深圳分行 or
    深圳数据交易所 name one."""
    from advisor.retrieval.particulars import unidentified

    role = "交易资金由交易资金的开户银行或非银行支付机构负责结算。"
    assert unidentified("交易资金由哪一家银行负责结算？", role) == "银行"
    assert unidentified("Which bank settles the trading funds?", role) == "银行"
    assert unidentified("交易资金由哪一家银行负责结算？", "交易资金由中国银行深圳分行负责结算。") == ""
    assert unidentified("由哪家交易所承担？", "市场主体通过深圳数据交易所进行交易。") == ""
    assert unidentified("交易资金由什么机构结算？", role) == ""  # what kind: the role answers


def test_a_term_of_years_asked_by_its_name_is_asked_in_years() -> None:
    """最短年限是多少 asks a figure in 年: 百分之七十 beside it is no answer, 不少于十年 is."""
    from advisor.retrieval.figures import states_answer
    from advisor.retrieval.units import asked_unit

    q = "企业用自有资金完成的职务科技成果，赋予完成人使用权的最短年限是多少？"
    assert asked_unit(q) == "年"
    says = states_answer(q, "number", "年")
    assert not says("完成人份额不低于百分之七十。")
    assert says("可以约定赋予完成人不少于十年的使用权。")


def test_a_case_supposed_after_a_restated_provision_must_be_the_passages_case() -> None:
    """第二十五条规定…不低于百分之七十，如果是企业用自有资金完成的… restates the article, then asks about
    another case: the restated words cover the question, the case's own words (自有, 员工) are missing."""
    from advisor.retrieval.supposed_case import other_case

    question = (
        "条例第二十五条规定完成人按份共有的份额不低于百分之七十，如果职务科技成果主要是用企业自有资金完成的，"
        "企业员工能否同样主张不低于百分之七十的份额？"
    )
    assert other_case(question, ["如果", "自有", "员工", "同样"]) == ["自有", "员工"]
    assert other_case(question, ["如果", "同样", "自有"]) == []  # one word of its own: a paraphrase
    # … and a case supposed without a provision restated is the asker's own, left to coverage
    assert other_case("如果企业用自有资金完成，员工能占多少份额？", ["自有", "员工"]) == []
