"""The asker's own words for what a text says: a verb of the same kind, a head noun the passage uses, the
part a body plays, the members of a named set, a part's title, and a text named in English. And the one
way round where sharing words is no evidence: passages that only share the question's verb."""

from __future__ import annotations

import pytest

from advisor.retrieval.asks import about_document, asked_noun
from advisor.retrieval.bodies import does, names_body
from advisor.retrieval.coverage import only_its_verbs
from advisor.retrieval.doc_names import documents_named
from advisor.retrieval.grounding import assess
from advisor.retrieval.lexicon import compound_of_retrieved, names_kind
from advisor.retrieval.particulars import identified_term
from advisor.service import Advisor
from advisor.types import Hit


def test_a_verb_of_the_same_kind_says_the_act() -> None:
    assert does("搭建", "市数据管理部门应当构建全市统一的数据资源体系。")  # 构建 is a 建 too
    assert does("处罚", "由市场监管部门处一万元罚款。")  # every character, apart
    assert not does("搭建", "市数据管理部门应当建设数据资源体系。")  # 建设 is no verb ending in 建
    assert not does("审批", "市政府应当支持企业发展。")


def test_a_body_doing_an_act_in_the_askers_own_verb_answers_who_does_it() -> None:
    answering = ["专责小组在依法开展监管执法活动时，交易场所运营机构应予以配合。"]
    question = "数据交易执法的时候由哪个机构出面？"
    assert not names_body(question, answering, "")  # 出面 is in no sentence …
    assert names_body(question, answering, "", used=lambda w: w != "出面")  # … and in no text at all
    assert not names_body(question, ["本市支持数据交易。"], "", used=lambda w: w != "出面")  # no body named
    # … but an act partly in the texts' words keeps all of it: 受托 is what is asked, not a paraphrase
    entrusted = "安全评估由哪家机构受托开展？"
    assert not names_body(entrusted, ["省评估中心应当开展安全评估。"], "", used=lambda w: w != "受托")


def test_which_ones_of_a_named_set_is_a_list_not_which_particular_body() -> None:
    assert identified_term("条例说的“新型数据基础设施”具体指哪些？") == ""
    assert identified_term("文件里的“三个一批”具体是哪三个？") == ""
    assert identified_term("条例里的“市数据标准化技术组织”具体是哪个单位？") == "市数据标准化技术组织"


def test_the_part_a_body_plays_is_whatever_its_text_says() -> None:
    assert asked_noun("高新区在这部条例里的定位是什么？") == ""
    assert asked_noun("行业协会的角色是什么？") == ""
    assert asked_noun("条例鼓励发展的创意产业包括哪些门类？") == ""
    assert asked_noun("由哪家公司负责运营？") == "公司"  # a thing still asked to be named


def test_a_parts_title_is_named_by_the_passages_headings() -> None:
    assert names_kind("标题", "## 三、强化基础支撑能力\n（一）提升模型基础能力。")
    assert names_kind("标题", "### 第二章 数据权益保障\n第九条 …")
    assert not names_kind("标题", "鼓励企业开展模型训练，提升基础能力。")


def test_passages_that_share_only_the_questions_verb_are_about_something_else() -> None:
    assert only_its_verbs(["锦标赛", "举办"], ["锦标赛"])
    assert not only_its_verbs(["展会", "举办"], [])  # the thing asked is there
    assert not only_its_verbs(["数据", "举办"], ["举办"])  # a noun is shared
    assert not only_its_verbs(["举办"], ["举办"])  # nothing shared at all: coverage decides


def test_an_english_title_runs_long_before_take_effect() -> None:
    assert about_document(
        "When did the Beijing International Sci-Tech Innovation Center Regulations take effect?"
    )
    assert not about_document("When did Beijing start building its international sci-tech innovation center?")


@pytest.mark.integration
def test_a_text_named_in_english_is_named(corpus_advisor: Advisor) -> None:
    documents = corpus_advisor.retriever().snapshot.keyword.documents()
    named = documents_named(
        "What does the Zhejiang digital economy promotion regulations say on data?", documents
    )
    assert list(named.values()) == ["浙江省数字经济促进条例"]
    assert documents_named("What does the province's economy law say on data?", documents) == {}


@pytest.mark.integration
def test_an_everyday_word_before_a_passages_head_noun_is_the_askers_kind(corpus_advisor: Advisor) -> None:
    keyword = corpus_advisor.retriever().snapshot.keyword
    hits = [
        Hit(
            chunk_id="c",
            doc_id="d",
            title="某办法",
            text="提供者对使用者的输入信息和使用记录应当依法予以保护。",
            score=1.0,
        )
    ]
    assert compound_of_retrieved("聊天记录", hits, keyword)  # 聊天 in no text; 使用记录 is a 记录
    assert not compound_of_retrieved("注册资本", hits, keyword)  # no 资本 in the passage
    other = [Hit(chunk_id="c", doc_id="d", title="某办法", text="提供者应当依法保护个人信息。", score=1.0)]
    assert not compound_of_retrieved("聊天记录", other, keyword)


@pytest.mark.integration
def test_off_topic_events_are_refused_and_a_title_in_english_is_not_far(corpus_advisor: Advisor) -> None:
    r = corpus_advisor.retriever()

    def check(question: str) -> bool:
        return assess(
            question, r.retrieve(question, k=corpus_advisor.settings.top_k), r.snapshot.keyword
        ).grounded

    assert not check("下一届锦标赛在哪座城市举办？")
    # the Zhejiang regulation ends at its 62nd article; the Shenzhen one's 第七十条 is no answer
    q = "Which rules does Article 70 of the Zhejiang digital economy promotion regulations lay down?"
    missing = assess(q, r.retrieve(q, k=corpus_advisor.settings.top_k), r.snapshot.keyword)
    assert not missing.grounded and "第七十条" in missing.missing


def test_a_measured_value_is_a_figure_and_a_first_batch_chosen_is_a_result() -> None:
    from advisor.retrieval.asks import ask_kind
    from advisor.retrieval.status import asks_status

    assert ask_kind("报告有没有给出各省算力利用率的实测值？") == "number"
    assert ask_kind("规划里有没有平均值的说法？") == "number"
    assert ask_kind("报告怎么看数据的价值？") != "number"  # 价值 is no value asked
    assert asks_status("规划说要建设一批示范基地，首批入选的是哪几个？")
    assert not asks_status("首批入选的企业可以享受哪些支持？")  # what the rules give them


def test_a_named_part_opens_the_hits_and_a_documents_other_question_is_answered() -> None:
    from advisor.retrieval.named_things import parts_named

    assert parts_named("意见的第三部分讲了什么？第二章呢？") == ["三、", "第二章"]
    assert parts_named("第几部分讲算力？") == []


@pytest.mark.integration
def test_a_question_about_a_text_and_what_it_says_gets_both(corpus_advisor: Advisor) -> None:
    answer = corpus_advisor.ask("境外的公司能不能在国内提供生成式人工智能服务？这部暂行办法从哪天起施行？")
    assert "2023年8月15日" in answer.text  # the date, from its text
    assert "境外" in answer.text or "外商投资" in answer.text  # … and what it says of foreign providers


def test_the_sitting_that_passed_a_text_is_asked_of_the_text_an_events_edition_is_not() -> None:
    assert about_document("那部条例是市人大常委会哪一届、哪次会议通过的？")
    assert about_document("这部条例是第几届省人大常委会通过的？")
    assert not about_document("规划里提到的那个博览会已经办到第几届了？")


@pytest.mark.integration
def test_a_list_question_with_another_part_answers_both_and_lists_each_item_once(
    corpus_advisor: Advisor,
) -> None:
    answer = corpus_advisor.ask(
        "标准化指南里的智能产品与服务标准包括哪几类？其中移动终端标准涉及信息无障碍吗？"
    )
    points = [line.split("：", 1)[-1] for line in answer.text.splitlines() if line[:1].isdigit()]
    assert any("智能机器人" in p for p in points)  # the list …
    assert any("信息无障碍" in p for p in points)  # … and the other part's answer
    assert len(points) == len(set(points))  # no item twice where chunks overlap


@pytest.mark.integration
def test_two_english_words_naming_one_concept_stand_for_its_chinese_word(corpus_advisor: Advisor) -> None:
    from advisor.retrieval.dictionary import english_words

    keyword = corpus_advisor.retriever().snapshot.keyword
    assert english_words(["exchange", "rate"], keyword, "") == ["汇率"]  # not 交易所 and 速度
    assert english_words(["exchange", "information"], keyword, "")[0] != "汇率"  # no such pair
    r = corpus_advisor.retriever()
    q = "What is this week's euro to RMB exchange rate?"
    assert not assess(q, r.retrieve(q, k=corpus_advisor.settings.top_k), r.snapshot.keyword).grounded


def test_an_items_number_is_no_figure_stated() -> None:
    from advisor.retrieval.figures import has_number, unnumbered

    assert not has_number(unnumbered("（六）全球合作 1.推动普惠共享。2.共建开源生态。"))
    assert has_number(unnumbered("占比提高到2.5倍。"))  # a figure with a decimal point stays
    assert has_number(unnumbered("支持10家企业。"))


def test_a_purpose_before_a_loose_name_is_no_part_of_the_name() -> None:
    from advisor.retrieval.doc_names import unquoted_titles

    # 为推动 says why, then the asker's short name of the plan follows: no unknown title 为推动…规划
    assert not any(
        n.startswith("为")
        for n in unquoted_titles("为推动“十四五”数字经济规划落地，国家层面要建立什么协调机制？")
    )
    assert unquoted_titles("为推动广州市加快人工智能产业高质量发展若干措施落地，要做什么？") == [
        "广州市加快人工智能产业高质量发展若干措施"
    ]


def test_the_office_asked_who_holds_and_the_contact_asked_for_must_be_written() -> None:
    from advisor.retrieval.particulars import asked_role

    assert asked_role("市数据工作委员会由哪位市领导担任主任？") == ("主任",)
    assert asked_role("哪位专家参加评审？") == ()  # a person, but no office
    assert "网址" in asked_role("What is the web address of the online service platform?")
    assert "电话" in asked_role("What is its phone number?")
    assert asked_role("Which websites must label AI-generated content?") == ()  # a kind of service, asked


def test_whom_a_measure_is_for_is_whatever_the_text_says() -> None:
    # 奖励对象 is answered by the 组织和个人 the text rewards, not by a text that writes 对象
    assert asked_noun("民间机构能不能自己办评奖？奖励对象是谁？") == ""


def test_what_came_of_a_text_once_it_applied_is_a_state_no_text_reports() -> None:
    from advisor.retrieval.status import asks_status

    assert asks_status("条例施行后，市政府公布的首批允许自动驾驶汽车通行的区域和道路有哪些？")
    assert asks_status("框架出来以后，国家搞的监测评估，首次结果里排名前三的是哪几个省？")
    assert asks_status("Which districts have been officially opened to autonomous vehicles?")
    assert asks_status("Which companies have actually adopted the dual-class share structure?")
    # what a text provides from when it applies is no state of things
    assert not asks_status("办法施行后，原来的规定还有效吗？")
    assert not asks_status("条例施行后由哪个部门负责监督？")
    assert not asks_status("Which companies have adopted data security plans under the regulation?")
