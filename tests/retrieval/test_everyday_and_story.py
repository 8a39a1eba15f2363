"""Everyday words and the asker's story (session 39): the thing asked for in everyday words (规矩, 红线)
is named by the texts' own word; a word of the asker's own situation that no text uses is no sign the
corpus lacks the answer; a modifier, a sort offered beside the noun, or the kind of name asked (叫什么…)
asks for nothing the text must repeat; a means named by a list of its kind; no charge answers how much;
惩罚性赔偿 asks for no sanction; a provision is no document."""

from __future__ import annotations

from advisor.retrieval import register
from advisor.retrieval.asks import asked_noun
from advisor.retrieval.doc_names import unquoted_titles
from advisor.retrieval.figures import answered_in_words
from advisor.retrieval.grounding import assess
from advisor.retrieval.lexicon import names_kind
from advisor.retrieval.sanctions import asks_sanction
from advisor.retrieval.status import asks_status
from advisor.retrieval.story import asker_story, only_in_story
from advisor.service import Advisor


def test_an_everyday_word_the_texts_never_use_is_named_by_their_own_word() -> None:
    def never(word: str) -> bool:
        return False

    text = "提供者应当依法开展训练数据处理活动，遵守以下规定：（一）使用具有合法来源的数据。"
    assert register.names_thing("规矩", text, never)
    assert not register.names_thing("规矩", "提供者应当使用具有合法来源的数据。", never)
    # … but a word the texts use asks for one of its own: which company is a company's name, not 企业
    assert not register.names_thing("公司", "鼓励企业参与平台运营。", lambda w: True)


def test_the_thing_asked_in_everyday_words_grounds_the_answer(corpus_advisor: Advisor) -> None:
    r = corpus_advisor.retriever()
    question = "生成式人工智能服务提供者处理训练数据时要守哪些规矩？"
    g = assess(question, r.retrieve(question, k=corpus_advisor.settings.top_k), r.snapshot.keyword)
    assert g.grounded, g


def test_the_askers_story_is_told_before_the_clause_that_asks() -> None:
    question = (
        "我们园区有家企业做智能客服，顾客总嫌它牛头不对马嘴。按生成式人工智能暂行办法，提供者要做到什么？"
    )
    assert asker_story(question).startswith("我们园区")
    assert only_in_story("牛头不对马嘴", question)
    assert not only_in_story("提供者", question)  # a word of the clause that asks
    # … a story about someone else, or an English question, is no asker's own story
    assert asker_story("某企业做智能客服，顾客总嫌它答得离谱。提供者要做到什么？") == ""
    assert asker_story("Our park hosts a chatbot firm, users complain. What must providers do?") == ""


def test_an_unknown_word_of_the_askers_story_is_no_hard_miss(corpus_advisor: Advisor) -> None:
    r = corpus_advisor.retriever()
    question = "我们区有家企业做智能客服，顾客总嫌它张冠李戴。按生成式人工智能服务管理暂行办法，提供者对生成内容要做什么？"
    g = assess(question, r.retrieve(question, k=corpus_advisor.settings.top_k), r.snapshot.keyword)
    assert g.grounded, g  # (the story's own words are only weighed down: missing, yet grounded)
    # … while the same word told of someone else is one the corpus lacks
    other = question.replace("我们区有家企业", "某企业")
    assert not assess(other, r.retrieve(other, k=corpus_advisor.settings.top_k), r.snapshot.keyword).grounded


def test_a_modifier_a_sort_offered_or_the_kind_of_name_asks_nothing_the_text_must_repeat() -> None:
    assert asked_noun("除了孵化器，还有哪些同类平台？") == "平台"
    assert asked_noun("条例鼓励企业参与制定哪几个层级或类别的标准？") == ""
    assert asked_noun("这个平台由哪家公司或机构运营？") == "公司"  # a kind of organisation is no sort
    assert asked_noun("规划提出的这项工作叫什么专项行动？") == ""
    assert asked_noun("这项工作由哪家公司承担？") == "公司"


def test_a_means_is_named_by_a_list_of_its_kind() -> None:
    assert names_kind("技术手段", "鼓励企业利用技术创新、技术对抗等方式，防范伦理安全风险。")
    assert not names_kind("技术手段", "鼓励企业防范伦理安全风险。")


def test_no_charge_answers_how_much_a_fee_is() -> None:
    rule = "自然人可以要求查阅、复制其个人数据，数据处理者应当及时提供，并不得收取费用。"
    assert answered_in_words("查阅自己的个人数据，企业可以收多少钱？", rule)
    assert answered_in_words("复制个人数据的收费标准是多少？", "公共数据开放应当免费提供。")
    assert not answered_in_words("违规处理个人数据罚款多少？", rule)


def test_punitive_damages_ask_for_no_sanction_and_may_is_no_state_of_things() -> None:
    assert not asks_sanction("条例第几条提出实施惩罚性赔偿制度？")
    assert asks_sanction("侵犯知识产权会受到什么惩罚？")
    assert not asks_status("我们依法拿到了一批数据，是不是就可以直接加工了？")
    assert asks_status("这个平台已经上线了吗？")


def test_a_provision_to_be_made_or_one_of_two_cases_is_no_document() -> None:
    assert unquoted_titles("条例中，要求制定科技人才支撑保障措施的是第几条？") == []
    # … while a text made under an article is one (the corpus holds only the article that asks for it)
    assert unquoted_titles("按第二十条制定的数据资产登记管理办法是哪年出台的？")
    assert unquoted_titles("条例中，对未备案或者超范围提供服务的处罚规定在哪一章？") == []
    assert unquoted_titles("广州市加快人工智能产业高质量发展若干措施里怎么说？") == [
        "广州市加快人工智能产业高质量发展若干措施"
    ]


def test_the_qualification_asked_for_must_be_named() -> None:
    from advisor.retrieval.particulars import asked_role

    assert asked_role("受委托开展安全评估的专业机构需要什么资质？") == ("资质",)
    assert asked_role("首席数据官要有什么样的学历？") == ("学历",)
    assert asked_role("专业机构要满足什么条件？") == ()  # conditions: whatever the text sets
    assert "资质" in asked_role("What qualifications must an assessment agency hold?")


def test_a_sum_of_money_answers_only_a_question_about_money() -> None:
    from advisor.retrieval.figures import has_amount

    fine = "未按照规定配备安全员的，由交通部门责令改正；拒不改正的，处一万元以上三万元以下罚款。"
    assert not has_amount("每辆车要配几个安全员？", fine)
    assert has_amount("不配安全员要罚多少？", fine)
    assert has_amount("How large a fine applies?", fine)
    assert has_amount("每辆车要配几个安全员？", "每辆车应当配备不少于1名安全员。")


def test_whether_a_text_still_holds_or_was_replaced_in_everyday_words() -> None:
    from advisor.retrieval.status import asks_amendment, asks_successor

    assert asks_amendment("那部2011年的条例现在还管用吗？")
    assert asks_successor("后来有没有被新条例替掉？")
    assert not asks_amendment("这个办法管用的地方在哪里？")


def test_a_noun_before_a_light_head_or_a_body_or_advice_asks_nothing_the_text_must_repeat() -> None:
    assert asked_noun("意见要加强人工智能和哪些新兴技术领域协同？") == ""  # the 领域, whichever
    assert asked_noun("两部条例分别让哪些政府部门负责这项工作？") == ""  # bodies: the body rule checks
    assert asked_noun("报告给财力有限的地方出了什么主意？") == ""  # advice, in the report's words
    assert asked_noun("平台由哪家公司运营？") == "公司"
