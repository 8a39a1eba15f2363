"""Answerability rules that need no index: what counts as a document's name, and how far the sentence
that answers a number question reaches."""

from __future__ import annotations

import pytest

from advisor.retrieval.bodies import asked_act, names_body
from advisor.retrieval.doc_names import context_only, document_names, stands_for, unquoted_titles
from advisor.retrieval.figures import (
    best_through,
    sanction_states,
    states_answer,
    years_of_figures,
)
from advisor.retrieval.grounding import (
    AGREED_RANK,
    CAPTION_ONLY,
    COUNT_ONLY,
    FAR_AWAY,
    FAR_IN_MEANING,
    HARD_MISS,
    NO_BODY,
    NO_FIGURE,
    NO_THING,
    NOT_IDENTIFIED,
    SIBLING_ONLY,
    Grounding,
    assess,
)
from advisor.retrieval.register import expand_query, official_words
from advisor.retrieval.synonyms import said_otherwise, synonyms
from advisor.service import Advisor
from advisor.types import Hit
from advisor.verify.citations import best_sentence


def _check(adv: Advisor, question: str) -> Grounding:
    """The grounding of ``question`` over the passages the answer step would retrieve."""
    r = adv.retriever()
    return assess(question, r.retrieve(question, k=adv.settings.top_k), r.snapshot.keyword)


def _answered_then_refused(adv: Advisor, answered: str, refused: str, reason: str) -> None:
    assert _check(adv, answered).grounded
    other = _check(adv, refused)
    assert not other.grounded and other.reason == reason, (other.reason, other.missing)


PENALTY = (
    "第四十六条 违反本条例第三十七条规定，试点主体未按照规定配备安全员的，由交通部门责令改正；"
    "拒不改正的，处一万元以上三万元以下罚款。第四十七条 其他事项依照有关法律办理。"
)


def test_a_verb_before_the_kind_of_document_is_not_a_title() -> None:
    assert unquoted_titles("企业没按规定配备安全员、拒不改正的要罚多少？") == []
    assert unquoted_titles("按照国家有关规定开展数据出境评估有哪些要求？") == []
    assert unquoted_titles("北京市促进通用人工智能创新发展的若干措施有哪些？") == [
        "北京市促进通用人工智能创新发展的若干措施"
    ]


def test_a_verb_that_takes_a_text_opens_its_name() -> None:
    assert document_names("要是有公司违反上海市数据条例泄露了个人信息，谁能起诉？") == ["上海市数据条例"]
    assert unquoted_titles("参照北京市数字经济促进条例的做法可以吗？") == ["北京市数字经济促进条例"]
    assert unquoted_titles("对照河南省促进高新技术产业发展条例看") == ["河南省促进高新技术产业发展条例"]


def test_what_a_text_classes_a_thing_as_follows_its_name() -> None:
    # 会不会被认定为 is the asker's clause; the name is 某市数据条例, a short name of a corpus title
    question = "平台给新用户打折，会不会被认定为某市数据条例里禁止的行为？"
    assert document_names(question) == ["某市数据条例"] and unquoted_titles(question) == []


def test_a_pointer_before_a_long_name_starts_it_and_a_when_clause_is_no_title() -> None:
    named = unquoted_titles("工信部等四部门那份人工智能标准化体系建设指南提了哪些保障措施？")
    assert named == ["人工智能标准化体系建设指南"]
    assert "生成式AI那部暂行办法" in document_names(
        "生成式AI那部暂行办法是哪几个部门发的？"
    )  # 暂行办法 alone names none
    assert unquoted_titles("报告在梳理各省数字经济规划时提到了哪些省？") == []


@pytest.mark.integration
def test_a_document_the_corpus_names_under_its_place_exists(corpus_advisor: Advisor) -> None:
    """The report's > 四川省 paragraph names its “十四五” 数字产业集群升级计划; the Shenzhen regulation
    only calls for an 人工智能应用分级分类监管办法, and names no 深圳 with it."""
    assert _check(corpus_advisor, "报告引用的四川“十四五”数字产业集群升级计划聚焦哪些产业？").grounded
    # … and a name made of the place, the quoted period and a kind of document stands for that paragraph's
    assert _check(corpus_advisor, "报告引用的四川省“十四五”规划里，数字产业聚焦哪些核心产业？").grounded
    other = _check(corpus_advisor, "深圳人工智能应用分级分类监管办法对高风险应用怎么判定？")
    assert not other.grounded and other.reason == HARD_MISS, other
    # … and the place may stand outside the name, in English too
    assert _check(corpus_advisor, "报告里 Sichuan 在“十四五”数字产业集群升级计划中聚焦哪些产业？").grounded
    assert not _check(corpus_advisor, "报告里深圳在“十四五”数字产业集群升级计划中聚焦哪些产业？").grounded


def test_a_year_that_dates_a_named_text_is_not_the_year_of_the_figure() -> None:
    assert years_of_figures("河南那部2011年条例规定奖励比例是多少？") == []
    assert years_of_figures("2024版指南要求到2026年制定多少项标准？") == ["2026"]
    assert years_of_figures("到2025年核心产业占比要达到多少？") == ["2025"]
    assert years_of_figures("What rate does Henan's 2011 regulation set for 2025?") == ["2025"]


def test_the_answering_sentence_runs_on_after_a_semicolon_to_its_figure() -> None:
    question = "试点主体没配备安全员、拒不改正的，要罚多少？"
    head, _ = best_sentence(question, PENALTY)
    assert "一万元" not in head  # the figure is past the semicolon
    through = best_through(question, PENALTY)
    assert "一万元以上三万元以下" in through
    assert "第四十七条" not in through


def test_a_finished_sentence_does_not_run_into_the_next_item() -> None:
    text = "布局建设一批国家人工智能应用中试基地，搭建行业应用共性平台。4. 数字人标准。"
    through = best_through("要建设多少个国家人工智能应用中试基地？", text)
    assert "中试基地" in through and "4." not in through


def test_a_short_name_stands_for_its_document() -> None:
    assert stands_for("郑洛新示范区条例", "郑洛新国家自主创新示范区条例")
    assert stands_for("国家AI标准化体系建设指南", "国家人工智能产业综合标准化体系建设指南（2024版）")
    assert not stands_for("上海市人工智能产业发展条例", "上海市数据条例")  # another document
    assert not stands_for("深圳市数据交易管理办法", "深圳经济特区数据条例")  # another kind of document
    assert document_names("郑洛新示范区条例的第七十条是怎么规定的？") == ["郑洛新示范区条例"]


def test_everyday_words_have_official_ones() -> None:
    found = official_words("公司的员工能不能在外面兼职？")
    assert "企业" in found["公司"] and "从业人员" in found["员工"]
    assert "买卖" not in official_words("主管部门负责监督管理")  # no everyday word here
    assert "企业" in expand_query("公司要交多少钱")


@pytest.mark.integration
def test_plain_words_are_answerable_and_an_amount_needs_a_sum(corpus_advisor: Advisor) -> None:
    """员工 is 从业人员 in the regulation, so the question is answerable; a fine the regulation never sets
    (深圳条例 has no 罚款 at all) is not, though its passages hold other numbers."""
    plain = _check(corpus_advisor, "深圳的人工智能公司应当组织员工学习哪些伦理内容？")
    assert plain.grounded and "员工" not in plain.missing and "公司" not in plain.missing
    fine = _check(corpus_advisor, "深圳人工智能产业促进条例对违反伦理安全规范的企业罚多少钱？")
    assert not fine.grounded and fine.reason == NO_FIGURE


def test_the_askers_own_document_is_no_title() -> None:
    assert unquoted_titles("我们正在起草本市人工智能产业发展规划，报告对算力有什么建议？") == []
    assert unquoted_titles("我市拟定的智慧城市建设促进条例该参考哪些条款？") == []


def test_a_place_names_its_own_document() -> None:
    assert unquoted_titles("某某省数字经济促进条例里关于数据要素怎么规定？") == ["某某省数字经济促进条例"]
    assert unquoted_titles("报告引用的某某省规划要推动哪些软件发展？") == []  # no name: a phrase
    assert not stands_for("某某省数字经济促进条例", "浙江省数字经济促进条例")  # another province's
    assert stands_for("浙江数字经济促进条例", "浙江省数字经济促进条例")


@pytest.mark.integration
def test_an_article_asked_in_english_must_exist(corpus_advisor: Advisor) -> None:
    """深圳条例 has seventy-odd articles: Article 5 exists, Article 95 does not."""
    q = "What does Article {} of the Shenzhen AI industry promotion regulations provide?"
    assert _check(corpus_advisor, q.format(5)).grounded
    missing = _check(corpus_advisor, q.format(95))
    assert not missing.grounded and "第九十五条" in missing.missing


@pytest.mark.integration
def test_everyday_chatter_weighs_little_a_rare_unknown_word_still_counts(corpus_advisor: Advisor) -> None:
    """担心 and 大家 are how people talk (frequent in everyday Chinese, never in the corpus); 注册资本
    is just as absent but names what a question would be about."""
    from advisor.retrieval.term_weights import chatter as _chatter

    keyword = corpus_advisor.retriever().snapshot.keyword
    assert _chatter("担心", keyword) and _chatter("大家", keyword)
    assert not _chatter("注册资本", keyword)  # rare in everyday Chinese
    assert not _chatter("企业", keyword)  # the corpus uses it
    assert _check(corpus_advisor, "大家都很担心，深度合成服务提供者对生成的内容要做哪些标识？").grounded


@pytest.mark.integration
def test_a_figure_next_to_the_term_a_passage_defines_answers_a_question_describing_it(
    corpus_advisor: Advisor,
) -> None:
    """The report defines 信能比 and states its threshold (大于300) lines below the definition: a question
    describing the measure without naming it is answered; one giving 300 and asking another value
    (a current figure for the whole country) is not, and a second evolution (二次进化) is no figure."""
    _answered_then_refused(
        corpus_advisor,
        "报告用单位能源能驾驭的信息量来区分新老AI，这个指标叫什么？数值到多少才算进入新一代？",
        "报告说信能比大于300是新老AI的分水岭，那中国现在全社会的信能比实际是多少？",
        NO_FIGURE,
    )


@pytest.mark.integration
def test_a_place_named_by_a_document_of_the_question_is_not_missing(corpus_advisor: Advisor) -> None:
    """Two regions' texts compared: the top passages may all be one region's, the other region is still
    named by the document the question names; a place with no text at all is still a miss."""
    q = "浙江数字经济促进条例和深圳人工智能产业促进条例对伦理委员会各是怎么规定的？"
    top = corpus_advisor.retrieve(q, k=corpus_advisor.settings.top_k)
    assert all("深圳" in h.title for h in top)  # one region's passages only
    assert _check(corpus_advisor, q).reason != HARD_MISS
    other = _check(corpus_advisor, "成都数字经济促进条例对数据要素是怎么规定的？")
    assert not other.grounded and other.reason == HARD_MISS


def test_a_figure_the_question_gives_is_not_its_answer() -> None:
    from advisor.retrieval.figures import given_figures

    figures = given_figures("甲条例规定份额不低于70%，乙条例在2020年规定的下限是多少？")
    assert "70%" in figures and "百分之七十" in figures
    assert all("2020" not in f for f in figures)  # a year names when, not the figure


@pytest.mark.integration
def test_a_figure_for_a_year_must_be_stated_for_that_year(corpus_advisor: Advisor) -> None:
    """The 人工智能+ opinions set 应用普及率 targets for 2027 and 2030; for 2035 they state none."""
    _answered_then_refused(
        corpus_advisor,
        "“人工智能+”意见提出到2027年新一代智能终端、智能体等应用普及率要达到多少？",
        "“人工智能+”意见提出到2035年新一代智能终端、智能体等应用普及率要达到多少？",
        NO_FIGURE,
    )


@pytest.mark.integration
def test_a_text_the_corpus_only_cites_says_nothing_itself(corpus_advisor: Advisor) -> None:
    """深度合成规定 is made 根据《中华人民共和国网络安全法》…: the law itself is not in the corpus."""
    cited = _check(corpus_advisor, "《中华人民共和国网络安全法》对深度合成服务提供者有什么规定？")
    assert not cited.grounded and cited.reason == HARD_MISS
    assert _check(
        corpus_advisor, "《互联网信息服务深度合成管理规定》对深度合成服务提供者有什么要求？"
    ).grounded


@pytest.mark.integration
def test_regularly_is_no_period(corpus_advisor: Advisor) -> None:
    """算法推荐规定 第八条: 应当定期审核、评估、验证算法机制机理 — how often is not stated."""
    g = _check(corpus_advisor, "算法推荐服务提供者多长时间审核、评估一次算法机制机理？")
    assert not g.grounded and g.reason == NO_FIGURE


def test_asking_which_body_acts() -> None:
    from advisor.retrieval.bodies import asks_body

    assert asks_body("这项工作由哪个部门牵头负责？") and asks_body("Which authority approves the plan?")
    assert not asks_body("深度合成服务提供者应当履行哪些义务？")
    explained = Grounding(grounded=False, coverage=0.8, missing=["牵头"], reason=NO_BODY).explanation()
    assert explained == NO_BODY  # never a list of the question's words


@pytest.mark.integration
def test_a_body_asked_for_must_be_named(corpus_advisor: Advisor) -> None:
    """深圳条例 第五十六条 探索完善…专门性保险赔偿体系 names no one to lead it; 第六十五条 names 市人民政府
    as the one who sets up the ethics committee."""
    nobody = _check(
        corpus_advisor, "深圳人工智能产业促进条例里的人工智能专门性保险赔偿体系由哪个部门牵头负责？"
    )
    assert not nobody.grounded and nobody.reason == NO_BODY
    assert _check(corpus_advisor, "深圳人工智能产业促进条例规定人工智能伦理委员会由谁设立？").grounded


def test_the_body_may_be_named_in_the_next_sentence_of_the_article() -> None:
    article = (
        "第八十条 本市建立重要数据目录管理机制，对列入目录的数据进行重点保护。"
        "重要数据的具体目录由市政府办公厅会同市网信等部门编制。"
    )
    question = "上海的重要数据目录由谁编？"
    best = best_through(question, article)
    assert "编制" not in best  # the sentence that matches best names no one …
    assert names_body(question, [best], article)  # … the next one of its article does
    assert not names_body(question, [best], article.replace("由市政府办公厅会同市网信等部门", "另行"))


def test_a_body_granted_a_power_is_named_after_the_granting_verb() -> None:
    """市人民政府可以开展…授权运营 names the one who grants, not which body is granted it; nor does a
    role (授权主体) name one."""
    question = "北京的金融公共数据专区授权给哪家单位运营？"
    grantor = "市人民政府可以开展公共数据专区授权运营。"
    assert not names_body(question, [grantor], grantor)
    role = "市政府办公厅应当组织制定公共数据授权运营管理办法，明确授权主体，授权条件、程序。"
    assert not names_body(question, [role], role)
    granted = "市人民政府授权市大数据中心统一运营金融公共数据专区。"
    assert names_body(question, [granted], granted)
    assert names_body("金融公共数据专区由哪个部门运营？", [grantor], grantor)  # the act's body, as before


@pytest.mark.integration
def test_a_figure_of_a_named_document_comes_from_it(corpus_advisor: Advisor) -> None:
    """算法推荐规定 sets 十个工作日 for a filing's change; 生成式AI办法 sets no such time limit, though
    the other text's passage about it is retrieved."""
    assert _check(corpus_advisor, "算法推荐管理规定要求备案信息变更后在几个工作日内办理变更手续？").grounded
    other = _check(
        corpus_advisor, "生成式人工智能服务管理暂行办法要求备案信息变更后在几个工作日内办理变更手续？"
    )
    assert not other.grounded


def test_a_negated_modal_asks_and_names_nothing() -> None:
    from advisor.retrieval.grounding import question_terms

    terms = question_terms("公司关门了又没人接手，数据能不能转让？监管部门会不会突击检查？")
    assert not {"没人", "能不能", "不能", "不会", "会不会"} & set(terms), terms
    assert "转让" in terms and "检查" in terms


@pytest.mark.integration
def test_the_thing_asked_to_be_named_must_be_named_in_the_passages(corpus_advisor: Advisor) -> None:
    """The passages on the filing system are found, but none names a company: no answer, and the reason
    says what is missing; a question whose thing the passages name is answered."""
    g = _check(corpus_advisor, "算法备案系统由哪家公司负责运营？")
    assert not g.grounded and g.reason == NO_THING
    assert g.explanation() == "资料里没有写明问题所问的“公司”"
    assert _check(corpus_advisor, "深度合成服务提供者应当建立哪些管理制度？").grounded


def test_a_piece_cut_across_two_words_is_chatter_a_word_the_corpus_uses_is_not(
    corpus_advisor: Advisor,
) -> None:
    """jieba cuts 各是 out of 两边各是怎么规定的: no dictionary word, never in the corpus, only grammar."""
    from advisor.retrieval.term_weights import chatter as _chatter

    keyword = corpus_advisor.retriever().snapshot.keyword
    assert _chatter("各是", keyword)
    assert not _chatter("深度合成", keyword)  # the corpus's own term
    assert not _chatter("chatgpt", keyword)  # an English word is weighed as a rendering, not as chatter
    assert not _chatter("券有", keyword)  # the piece of 算力券有什么 stands for a word no dictionary knows


def test_a_set_phrase_that_describes_is_no_missing_thing(corpus_advisor: Advisor) -> None:
    """后果严重 and 一蹴而就 (idioms in jieba's dictionary) describe; 注册资本 names a thing the corpus
    never mentions."""
    from advisor.retrieval.grounding import absent_terms

    keyword = corpus_advisor.retriever().snapshot.keyword
    assert absent_terms(["后果严重", "注册资本", "一蹴而就", "一段时间"], keyword) == ["注册资本"]
    assert not keyword.occurs("核算出来") and absent_terms(["核算出来"], keyword) == []  # verb + complement


def test_a_title_quoted_with_single_quotes_inside_is_the_documents(corpus_advisor: Advisor) -> None:
    grounding = _check(corpus_advisor, "《'十四五'数字经济发展规划》提出要建设哪些数字基础设施？")
    assert grounding.reason != HARD_MISS, grounding
    assert (
        _check(corpus_advisor, "《'十五五'数字经济发展规划》提出要建设哪些数字基础设施？").reason == HARD_MISS
    )


def test_the_askers_paraphrase_is_no_miss_where_both_retrievers_agree(corpus_advisor: Advisor) -> None:
    """运营商, 写字楼, 物业 are the asker's words for what 浙江 第十七条 calls 公共场所 and 管理者; dense and
    keyword retrieval both rank that article first and it is very close in meaning, so the question is
    answered although most of its words are missing. Without that agreement the same passages are too
    little evidence for a question that is not long enough to be telling a story."""

    question = "运营商要进写字楼、公园装基站，物业或者管理方能不能收进场费？浙江数字经济条例怎么说？"
    r = corpus_advisor.retriever()
    hits = r.retrieve(question, k=corpus_advisor.settings.top_k)
    assert "禁止收取进场费" in hits[0].text
    g = assess(question, hits, r.snapshot.keyword)
    assert g.grounded and g.coverage < 0.5, g  # most of its words are the asker's
    # a shorter question is no story (COVERED_TERMS), and 物业公司 is a compound the corpus never uses:
    # only the agreement lets it pass
    short = "运营商进写字楼装天线，物业公司能收钱吗？"
    hits = r.retrieve(short, k=corpus_advisor.settings.top_k)
    assert "禁止收取进场费" in hits[0].text
    agreed = {**hits[0].scores, "dense": 0.95, "dense_rank": 1.0, "keyword_rank": 1.0}
    g = assess(short, [hits[0].model_copy(update={"scores": agreed}), *hits[1:]], r.snapshot.keyword)
    assert g.grounded, g
    third = float(AGREED_RANK + 1)
    second = hits[0].model_copy(update={"scores": {**agreed, "keyword_rank": third}})
    g = assess(short, [second, *hits[1:]], r.snapshot.keyword)
    assert not g.grounded and "物业公司" in g.missing, g


def test_a_document_name_starts_after_the_askers_own_words() -> None:
    """The run before a kind of document holds the question's clause (这种情况也归…), or a quotation it
    opens (报告在“…措施” quotes a section): neither is part of the name. 那部 points at its document."""
    assert document_names("这种情况也归生成式AI暂行办法管吗？") == ["生成式AI暂行办法"]
    assert stands_for("生成式AI暂行办法", "生成式人工智能服务管理暂行办法")
    assert document_names("报告在“细化具体落实措施”部分列了哪些环节？") == ["细化具体落实措施"]
    assert unquoted_titles("甲子光年报告在“细化具体落实措施”部分，列出的实施路径重点关注环节有哪些？") == []
    assert document_names("生成式AI那部暂行办法是哪年发的？") == ["生成式AI那部暂行办法"]


def test_the_body_asked_for_must_be_named_for_the_act_asked(corpus_advisor: Advisor) -> None:
    """Passages on the safety assessment name bodies, but none for 受托开展 it: no answer. The body that
    interprets the provisions is named with 负责解释."""
    from advisor.retrieval.bodies import asked_act

    assert asked_act("数据资产凭证试点由哪个部门牵头组织实施？") == ["组织", "实施"]
    assert asked_act("日常工作由谁承担？") == []
    g = _check(corpus_advisor, "生成式人工智能服务的安全评估由哪家机构受托开展？")
    assert not g.grounded and g.reason == NO_BODY
    assert _check(corpus_advisor, "算法推荐管理规定由哪个部门负责解释？").grounded


def test_a_figure_must_stand_near_what_the_question_asks_about(corpus_advisor: Advisor) -> None:
    """The labelling measures only require 强制性国家标准 and give no number for one; the figures of
    the top passage (article and item numbers, a date) stand nowhere near the question's words. A
    deadline in working days stands next to 备案."""
    g = _check(corpus_advisor, "人工智能生成合成内容标识办法配套的强制性国家标准编号是多少？")
    assert not g.grounded and g.reason == NO_FIGURE, g
    assert _check(corpus_advisor, "算法推荐服务提供者应当在提供服务之日起几个工作日内履行备案手续？").grounded


def test_breaking_the_rules_is_no_title() -> None:
    assert unquoted_titles("深度合成服务提供者违反规定，情节严重的，罚款多少？") == []
    assert unquoted_titles("企业不符合规定的，怎么处理？") == []


def test_a_compound_the_corpus_never_uses_is_the_askers_word_where_retrievers_agree(
    corpus_advisor: Advisor,
) -> None:
    """电信公司 is in no text. Where both retrievers rank 浙江 第十七条 (禁止收取进场费) first and it is very
    close in meaning, the word is the asker's own for what the article calls 基础电信业务经营者; where
    they do not agree, the same word names something the corpus lacks."""
    from advisor.retrieval.bodies import asked_act

    g = _check(corpus_advisor, "电信公司进小区装天线，物业能不能收进场费？浙江数字经济条例怎么说？")
    assert g.grounded, g
    g = _check(corpus_advisor, "电信公司进小区装天线，物业能不能收取费用？")
    assert not g.grounded and g.reason == HARD_MISS and g.missing == ["电信公司"], g
    assert asked_act("逾期不改会被罚多少？由哪个部门处理？") == []  # 处理 is any duty's word


def test_a_list_a_body_is_to_publish_defers_only_what_it_names() -> None:
    from advisor.retrieval.figures import defers_after

    text = "第五十五条 建立健全自主创新示范区与省直部门直通车制度，具体事项清单由省人民政府确定并公布。"
    assert defers_after("直通车制度的具体事项清单包括哪些事项？", text)
    catalogue = "第四十条 市人力资源和社会保障、科学技术等部门应当制定并适时调整急需紧缺创新人才目录。"
    assert defers_after("急需紧缺创新人才目录包含哪些岗位？", catalogue)
    zone = (
        "第五条 管理委员会是自主创新示范区的管理机关，行使经济和社会管理权限。"
        "具体权责清单由自主创新示范区所在地省辖市人民政府确定并公布。"
    )
    assert not defers_after("自主创新示范区管理委员会行使哪些管理权限？", zone)


def test_a_figure_for_a_year_is_about_what_the_question_asks(corpus_advisor: Advisor) -> None:
    """The plan states 2025 targets, and an IPv6 figure for 2020 only: no 2025 target for IPv6 users.
    The 2025 share of the core industries is stated in the sentence that names both."""
    g = _check(
        corpus_advisor,
        "What is the 2025 target for the number of active IPv6 users in the 14th Five-Year Plan for the "
        "Digital Economy?",
    )
    assert not g.grounded and g.reason == NO_FIGURE, g
    assert _check(corpus_advisor, "到2025年数字经济核心产业增加值占GDP比重要达到多少？").grounded


def test_an_english_question_for_a_role_needs_the_role_named(corpus_advisor: Advisor) -> None:
    from advisor.retrieval.particulars import asked_role

    assert "主任" in asked_role("Who chairs the committee?") and asked_role("Who is responsible?") == ()
    g = _check(
        corpus_advisor, "Who chairs the AI industry coordination mechanism under the Shenzhen AI regulations?"
    )
    assert not g.grounded and g.reason == NO_THING and g.explanation() == "资料里没有写明问题所问的“主任”", g


@pytest.mark.integration
def test_the_office_asked_who_holds_and_the_particular_one_asked_for_must_be_stated(
    corpus_advisor: Advisor,
) -> None:
    chair = _check(corpus_advisor, "深圳市人工智能伦理委员会由谁当主任？")
    assert not chair.grounded and chair.reason == NO_THING and "主任" in chair.explanation()
    which = _check(
        corpus_advisor, "北京数字经济条例第二十二条说的“依法设立的数据交易机构”，在北京具体是哪一家？"
    )
    assert not which.grounded and which.reason == NOT_IDENTIFIED
    assert "数据交易机构" in which.explanation()


@pytest.mark.integration
def test_what_a_figure_shows_is_not_in_its_caption(corpus_advisor: Advisor) -> None:
    g = _check(corpus_advisor, "报告里“四类新兴技术成熟度-影响力分布图”上，区块链的成熟度是多少分？")
    assert not g.grounded and g.reason == CAPTION_ONLY


@pytest.mark.integration
def test_a_year_is_there_when_a_retrieved_document_is_dated_in_it(corpus_advisor: Advisor) -> None:
    g = _check(
        corpus_advisor,
        "Under the 2023 generative AI interim measures, do the rules apply to a model that is never "
        "offered to the public in China?",
    )
    assert "2023" not in g.missing, g


@pytest.mark.integration
def test_a_place_is_there_when_a_retrieved_text_is_that_regions(corpus_advisor: Advisor) -> None:
    r = corpus_advisor.retriever()
    question = "What does Zhejiang require of digital infrastructure such as data centres?"
    hits = r.retrieve(question, k=corpus_advisor.settings.top_k)

    def without_place(region: str) -> list:
        return [
            h.model_copy(
                update={
                    "text": h.text.replace("浙江", ""),
                    "title": h.title.replace("浙江", ""),
                    "section": h.section.replace("浙江", ""),
                    "meta": {**h.meta, "region": region},
                }
            )
            for h in hits
        ]

    unnamed = assess(question, without_place(""), r.snapshot.keyword)
    assert not unnamed.grounded and unnamed.reason == HARD_MISS and any("浙江" in m for m in unnamed.missing)
    regional = assess(question, without_place("浙江省"), r.snapshot.keyword)
    assert regional.reason != HARD_MISS, regional


def test_a_question_about_how_things_stand_now() -> None:
    from advisor.retrieval.status import STATE, asks_status

    assert asks_status("市里的公共算力平台已经建成投用了吗？")
    assert asks_status("培育库目前入库了多少家企业？")
    assert asks_status("How many companies have been fined so far?")
    assert asks_status("Which provinces were selected as pilot zones?")
    assert not asks_status("Which body must approve the pilot zones?")
    assert not asks_status("现在还能不能自建业务专网？")  # what a rule permits
    assert not asks_status("已经建成的专网应当如何处理？")  # a description of the thing
    assert not asks_status("备案要在几个工作日内完成？")
    assert not asks_status("现在国家对生成式人工智能服务有什么要求？")  # what the rules are, said casually
    assert asks_status("首批试点定在哪几个城市了？")
    assert not asks_status("没有高级职称是不是就申报不了？")  # what one can do
    # a condition the asker sets is a case to apply the rules to
    assert not asks_status("如果岗位总量已经用完了，还能设特设岗位吗？")
    assert not asks_status("Can universities create posts even if their quota is already used up?")
    assert asks_status("岗位总量已经用完了吗？")
    assert STATE.search("截至2022年底，全国已建成数据中心机架超过650万标准机架。")
    assert not STATE.search("市人民政府应当建设统一的公共数据平台。")


@pytest.mark.integration
def test_how_things_stand_now_needs_a_passage_that_reports_a_state(corpus_advisor: Advisor) -> None:
    from advisor.retrieval.grounding import NO_STATE

    g = _check(corpus_advisor, "深圳市人工智能伦理委员会现在成立了没有？")
    assert not g.grounded and g.reason == NO_STATE, g
    assert _check(corpus_advisor, "科技服务企业现在的服务范围主要集中在哪些层面？").grounded


def test_words_that_ask_for_a_comparison_are_no_terms() -> None:
    from advisor.retrieval.grounding import question_terms

    terms = question_terms("北京和浙江的数字经济条例对公共数据开放的规定有什么区别？两地各自怎么分类？")
    assert "公共数据" in terms or "数据" in terms
    assert not {"区别", "两地", "各自"} & set(terms)


def test_a_question_for_the_reason_behind_a_provision() -> None:
    from advisor.retrieval.rationale import REASON, asks_rationale

    assert asks_rationale("条例为什么把申报期限定为三十日？")
    assert asks_rationale("这条当时立法是怎么考虑的？")
    assert asks_rationale("Why was the fine capped at 100,000 yuan?")
    assert asks_rationale("Why do the measures forbid the exchange operator from trading on its own account?")
    assert asks_rationale("为什么办法不允许采用集中竞价的交易方式？")
    assert not asks_rationale("为什么要发展数字经济？")  # why a thing matters: the texts say what it is for
    assert not asks_rationale("罚款上限是多少？")
    assert REASON.search("为了规范数据交易活动，制定本办法。")
    assert not REASON.search("罚款上限为十万元。")


@pytest.mark.integration
def test_the_reason_behind_a_figure_needs_a_sentence_giving_one(corpus_advisor: Advisor) -> None:
    from advisor.retrieval.grounding import NO_REASON

    g = _check(corpus_advisor, "算法推荐规定为什么把罚款的上限设定为十万元？")
    assert not g.grounded and g.reason == NO_REASON, g


@pytest.mark.integration
def test_a_plan_the_report_names_is_no_missing_document_when_a_place_leads_it(
    corpus_advisor: Advisor,
) -> None:
    g = _check(corpus_advisor, "报告里，四川省的数字产业集群升级计划主要聚焦哪些核心产业？")
    assert not any(m.startswith("《") for m in g.missing), g


@pytest.mark.integration
def test_a_provincial_text_speaks_for_the_cities_it_governs(corpus_advisor: Advisor) -> None:
    g = _check(corpus_advisor, "宁波的工业企业推进数字化改造有哪些支持措施？")
    assert g.reason != HARD_MISS, g  # not refused for the place
    far = _check(corpus_advisor, "成都市的工业企业推进数字化改造有哪些支持措施？")
    assert not far.grounded and "成都市" in far.missing, far


def test_the_asking_clause_follows_the_askers_background() -> None:
    from advisor.retrieval.asks import asking_part

    assert asking_part("甲规划定的是10%，那乙条例定的是多少？") == "那乙条例定的是多少？"
    assert (
        asking_part("Rule A keeps logs for 30 years. What does rule B require?")
        == "What does rule B require?"
    )
    assert asking_part("企业数字化改造有哪些支持？") == "企业数字化改造有哪些支持？"  # one clause: all of it


@pytest.mark.integration
def test_a_figure_is_sought_in_the_document_the_asking_clause_names(corpus_advisor: Advisor) -> None:
    g = _check(
        corpus_advisor,
        "国家《“十四五”数字经济发展规划》对数字经济核心产业增加值占GDP比重定了目标，"
        "那《生成式人工智能服务管理暂行办法》定的这一比重是多少？",
    )
    assert not g.grounded and g.reason == NO_FIGURE, g  # the plan's 10% is not the measures' figure


def test_which_document_is_named_by_every_passage() -> None:
    from advisor.retrieval.asks import asked_noun
    from advisor.retrieval.lexicon import names_kind

    assert asked_noun("听说有文件要求这样做，是哪份文件？") == "文件"  # not 份文件
    assert names_kind("文件", "第三条 …")  # every passage is from a named document
    assert not names_kind("公司", "第三条 运营机构原则上应当采取公司制组织形式")


def test_compounds_made_of_a_passages_words() -> None:
    from advisor.retrieval.lexicon import halves_in, passage_words, short_for

    assert short_for("党政干部", passage_words("作为对有关党政领导干部考核评价的参考"))
    assert not short_for(
        "党政干部", passage_words("加强党政机关建设，培养青年干部")
    )  # not two words in a row
    assert halves_in("视频文件", ["上传的视频，其文件元数据中…"])
    assert not halves_in("视频文件", ["上传的视频", "文件元数据"])  # not in one passage


def test_a_compound_of_one_retrieved_documents_words_unless_most_documents_use_them() -> None:
    from advisor.index.keyword import KeywordIndex
    from advisor.retrieval.lexicon import compound_of_retrieved
    from advisor.types import Hit

    chunks = {
        "a1": ("labels", "第四条 视频应当在起始画面添加显式标识。本办法由主管部门管理。"),
        "a2": ("labels", "第六条 核验文件元数据中是否含有隐式标识。本条例另有规定的除外。"),
        "b1": ("other", "第三条 数据管理应当依照本条例执行。"),
        "c1": ("third", "第二条 本条例所称管理，是指登记和监督。"),
    }
    index = KeywordIndex(
        list(chunks), [list(t) for _, t in chunks.values()], [{"doc_id": d} for d, _ in chunks.values()]
    )
    index.attach_texts([t for _, t in chunks.values()])
    hits = [Hit(chunk_id=c, doc_id=d, title=d, section="", text=t, score=1.0) for c, (d, t) in chunks.items()]
    assert compound_of_retrieved("视频文件", hits[:2], index)  # 视频 and 文件: two articles of one text
    assert not compound_of_retrieved("视频文件", [hits[0], hits[2]], index)  # … not of two texts
    # 管理 and 条例 stand in every text: together they name nothing the corpus has (管理条例)
    assert not compound_of_retrieved("管理条例", hits[:2], index)


def test_pieces_of_a_phrase_are_no_terms_to_cover() -> None:
    from advisor.retrieval.grounding import question_terms

    assert "不好" not in question_terms("这项工作干得好不好？")  # 好不好 asks whether
    assert "不好" in question_terms("哪些做法不好？")


@pytest.mark.integration
def test_pieces_of_a_phrase_count_as_chatter(corpus_advisor: Advisor) -> None:
    from advisor.retrieval.term_weights import chatter as _chatter

    keyword = corpus_advisor.retriever().snapshot.keyword
    assert _chatter("这摊", keyword) and _chatter("干得", keyword)
    assert not _chatter("注册资本", keyword)


@pytest.mark.integration
def test_a_long_question_that_tells_its_story_is_answered(corpus_advisor: Advisor) -> None:
    g = _check(
        corpus_advisor,
        "我们是西部一个县城的中学，老师们自己训练了一个批改作文的模型，只给本校师生内部使用，"
        "从不对社会公众开放，这种情况归生成式人工智能服务管理暂行办法管吗？",
    )
    assert g.grounded, g  # the story's words (县城, 作文, 师生) are not what the texts must hold
    short = _check(corpus_advisor, "县城中学的作文批改怎么做？")
    assert not short.grounded, short  # a short question's words are all it asks


def test_a_document_named_in_passing_by_a_verb_and_a_pointer() -> None:
    # the clause before the name and the 那个 inside it are the asker's words, not the title's
    assert document_names("县里的平台也要受深度合成那个管理规定约束吗？") == ["深度合成管理规定"]
    assert document_names("这种事需要按算法推荐那个管理规定来处理吗？") == ["算法推荐管理规定"]
    assert stands_for("深度合成管理规定", "互联网信息服务深度合成管理规定")


def test_the_thing_asked_after_a_count_and_its_short_form() -> None:
    from advisor.retrieval.asks import asked_noun
    from advisor.retrieval.lexicon import names_kind

    assert asked_noun("会上强调了哪两件事？") == ""  # a count of matters names no kind of thing
    assert asked_noun("由哪两家公司运营？") == "公司"
    assert names_kind("高新区", "郑州、洛阳、新乡3个国家高新技术产业开发区")  # its full name
    assert not names_kind("高新区", "支持建设产业园区")


def test_a_synonym_from_the_dictionary_stands_for_the_askers_word() -> None:
    assert said_otherwise("分界线", "信能比大于300，是判断新老AI的分水岭")
    assert not said_otherwise("分界线", "信能比反映单位能源所能驾驭的信息量")
    assert "分界线" not in synonyms("分界线")


def test_the_askers_own_word_for_the_passages_is_no_missing_term(corpus_advisor: Advisor) -> None:
    """分界线 is the asker's word (the corpus never uses it) for the passage's 分水岭; a word the corpus
    does use elsewhere stays missing where the passages lack it."""
    keyword = corpus_advisor.retriever().snapshot.keyword
    assert not keyword.occurs("分界线") and keyword.occurs("分水岭")
    grounding = _check(corpus_advisor, "报告里信能比到多少算是新老AI的分界线？")
    assert grounding.grounded and "分界线" not in grounding.missing


def test_a_figure_for_another_matter_does_not_answer_how_much() -> None:
    """The passages hold the duty asked about, without a figure, and a fine for another offence: no
    sentence about what is asked states a sum, so the corpus does not say how much."""
    from synthetic_passages import passages

    texts = {
        "duty": "第四十二条 开展运营活动应当按照国家有关规定，购买承运人责任险以及其他补充商业保险。",
        "fine": "第四十四条 违反本条例规定，未经同意擅自开展运营活动的，由交通部门责令停止，可以并处三万元以上十万元以下罚款。",
        "other": "第十条 本市支持运营企业开展技术研发。",
    }
    hits, keyword = passages(texts, "某市运营条例")
    asked = assess("开展运营活动购买承运人责任险，保险金额是多少元？", hits, keyword)
    assert not asked.grounded and asked.reason == NO_FIGURE
    fined = assess("未经同意擅自开展运营活动的，罚款多少元？", hits, keyword)
    assert fined.grounded


def test_a_word_the_corpus_never_uses_weighs_as_unknown_not_as_the_rarest(corpus_advisor: Advisor) -> None:
    from advisor.retrieval.term_weights import UNSEEN_IDF, term_weight

    keyword = corpus_advisor.retriever().snapshot.keyword
    assert not keyword.occurs("宽裕") and keyword.idf("宽裕") > UNSEEN_IDF
    assert term_weight("宽裕", keyword) <= UNSEEN_IDF
    assert keyword.occurs("分水岭") and term_weight("分水岭", keyword) > UNSEEN_IDF  # rare, and the texts'


def test_a_numbered_section_the_question_names_must_exist(corpus_advisor: Advisor) -> None:
    missing = _check(corpus_advisor, "报告第9.9节讲了什么？")
    assert not missing.grounded and missing.reason == HARD_MISS and "9.9节" in missing.missing
    assert "“9.9节”" in missing.explanation()  # the reason names the section, as the question wrote it
    assert "4.2节" not in _check(corpus_advisor, "报告第4.2节讲了什么？").missing


@pytest.mark.integration
def test_a_question_no_passage_is_close_to_in_meaning_is_about_something_else(
    corpus_advisor: Advisor,
) -> None:
    r = corpus_advisor.retriever()
    far = FAR_IN_MEANING[corpus_advisor.settings.embeddings]

    def check(question: str) -> Grounding:
        return assess(
            question, r.retrieve(question, k=corpus_advisor.settings.top_k), r.snapshot.keyword, far=far
        )

    for question in (
        "周末在家怎么做一碗好吃的牛肉面？",
        "How do I bake sourdough bread at home?",
    ):
        assert check(question).reason == FAR_AWAY, question
        assert check(question).explanation() == FAR_AWAY
    assert check("深度合成服务提供者应当履行哪些义务？").grounded
    assert check("What must providers of deep synthesis services do to label synthetic content?").grounded
    answer = corpus_advisor.ask("How do I bake sourdough bread at home?")  # the answer step uses the floor
    assert not answer.grounded and FAR_AWAY in answer.text and not answer.related


@pytest.mark.integration
def test_another_grade_is_no_answer_even_where_the_grade_is_used_for_something_else(
    corpus_advisor: Advisor,
) -> None:
    """The report weighs the factors for 中型 and 小微型 专精特新企业 only; it writes 大型 of other things."""
    g = _check(corpus_advisor, "报告对大型专精特新企业的评估要素各给了多少权重？")
    assert not g.grounded and g.reason == SIBLING_ONLY, g
    assert _check(corpus_advisor, "报告对中型专精特新企业的评估要素各给了多少权重？").grounded


@pytest.mark.integration
def test_a_figure_next_to_the_publishers_name_is_not_about_the_thing_asked(corpus_advisor: Advisor) -> None:
    from advisor.retrieval.grounding import NO_FIGURE

    g = _check(corpus_advisor, "甲子光年那份报告建议地方产业基金里政府出资占多大比例？")
    assert not g.grounded and g.reason == NO_FIGURE, g


def test_a_place_name_the_corpus_never_uses_is_absent(corpus_advisor: Advisor) -> None:
    # 西湖 is a place (a lake) no text names; 杭州 and 路线 alone do not make the question answerable
    g = _check(corpus_advisor, "杭州西湖一日游怎么安排路线比较合理？")
    assert not g.grounded and "西湖" in g.missing and "西湖" in g.explanation()


def test_selling_and_other_places_are_said_in_the_texts_words() -> None:
    assert "卖方" in official_words("企业想把数据拿到交易场所直接挂出来卖")["卖"]
    assert "异地" in official_words("在外省市跑过路测的企业")["外省市"]


def test_a_document_is_named_after_the_verb_that_issues_it_and_in_one_language() -> None:
    assert unquoted_titles(
        "工信部等四部门印发国家人工智能产业综合标准化体系建设指南的那份通知，主送了哪些单位？"
    ) == ["国家人工智能产业综合标准化体系建设指南"]
    assert unquoted_titles("北京人社局牵头印发的那份2024到2026年数字人才培育方案，开头说了什么？") == [
        "2024到2026年数字人才培育方案"
    ]
    assert unquoted_titles("报告里，四川数字产业cluster升级计划聚焦哪些产业？") == []  # half in English


@pytest.mark.integration
def test_a_count_the_report_names_but_never_lists_has_no_items(corpus_advisor: Advisor) -> None:
    g = _check(corpus_advisor, "报告说的七大AI能力都有什么？")
    assert not g.grounded and g.reason == COUNT_ONLY, g
    english = _check(corpus_advisor, "Which are the seven AI capabilities whose fusion the report describes?")
    assert not english.grounded and english.reason == COUNT_ONLY, english
    listed = _check(corpus_advisor, "报告里产业培育的五大关键角色分别是哪五个？")  # listed after a colon
    assert listed.grounded, listed


@pytest.mark.integration
def test_when_a_text_the_corpus_only_cites_was_passed_is_not_in_the_corpus(corpus_advisor: Advisor) -> None:
    """浙江's 数字经济 regulation names the 信息化 regulation it repeals; the corpus has no text of that one."""
    g = _check(corpus_advisor, "浙江数字经济条例施行后废止的《浙江省信息化促进条例》是哪一年通过的？")
    assert not g.grounded and g.reason == HARD_MISS and "《浙江省信息化促进条例》" in g.missing, g
    held = _check(corpus_advisor, "《浙江省数字经济促进条例》是哪一年通过的？")
    assert "《浙江省数字经济促进条例》" not in held.missing, held


def test_a_preposition_inside_the_run_opens_the_documents_name() -> None:
    question = "执法中对算法推荐管理规定的条文理解有分歧，该找谁？"
    assert "算法推荐管理规定" in document_names(question) and unquoted_titles(question) == []


def _kind_hit(kind: str) -> Hit:
    return Hit(chunk_id="c", doc_id="r", title="某报告", text="……", score=1.0, meta={"kind": kind})


def test_a_document_named_only_as_the_askers_context_is_not_insisted_on() -> None:
    """A plan named in a statement before the question, when the question asks the report: the report
    answers whatever that plan says; asked about the plan itself (这个规划), it must exist."""
    name = "国家新型数字基础设施规划"
    context = f"我市打算借着{name}的东风，建一个算力园区。报告对地方政府有什么建议？"
    assert context_only(context, name, [_kind_hit("报告")], ["某市人工智能条例"])
    pointed = f"我市打算借着{name}的东风，建一个算力园区。这个规划对园区有什么要求？"
    assert not context_only(pointed, name, [_kind_hit("报告")], ["某市人工智能条例"])
    asked = f"{name}对算力园区有什么要求？报告怎么说？"
    assert not context_only(asked, name, [_kind_hit("报告")], ["某市人工智能条例"])
    same_kind = "我市借着某省数字经济规划的东风建园区。规划对园区有什么要求？"
    assert not context_only(same_kind, "某省数字经济规划", [_kind_hit("规划")], [])


def test_which_body_comes_to_manage_asks_any_body_in_charge(corpus_advisor: Advisor) -> None:
    """由哪个部门来管: 来 only leads the verb, so the 住房城乡建设主管部门 that 责令限期改正 answers."""
    assert asked_act("这会有什么后果、由哪个部门来管？") == []
    assert asked_act("由哪个部门来组织实施？") == ["组织", "实施"]
    g = _check(
        corpus_advisor,
        "某开发商的新建楼盘没按标准预留基站站址，也没配套建机房。按浙江数字经济促进条例，这会有什么后果、由哪个部门来管？",
    )
    assert g.grounded, (g.reason, g.missing)


def test_a_sanction_for_breaking_the_article_that_names_the_conduct_states_its_figure() -> None:
    """The fine for 交易含有未经授权个人数据的产品 stands in the article that punishes breaking 第六十七条,
    which names that conduct; a sanction citing an article about something else states nothing."""
    conduct = Hit(
        chunk_id="a67",
        doc_id="sz",
        title="深圳经济特区数据条例",
        text="第六十七条 市场主体合法处理数据形成的数据产品和服务，可以依法交易。但是，有下列情形之一的除外：\n"
        "（一）交易的数据产品和服务包含个人数据未依法获得授权的；",
        score=1.0,
    )
    sanction = Hit(
        chunk_id="a94",
        doc_id="sz",
        title="深圳经济特区数据条例",
        text="第九十四条 违反本条例第六十七条规定交易数据的，由市市场监督管理部门责令改正，"
        "交易金额不足一万元的，处五万元以上二十万元以下罚款。",
        score=1.0,
    )
    asked = "罚款幅度是多少？"
    present = states_answer(asked, "number", "")
    assert sanction_states(asked, present, [conduct, sanction], [conduct, sanction], ["授权"])
    assert not sanction_states(asked, present, [conduct, sanction], [conduct, sanction], ["公共数据"])
    elsewhere = conduct.model_copy(update={"doc_id": "other"})
    assert not sanction_states(asked, present, [sanction], [elsewhere, sanction], ["授权"])
    # … and a fine answers only a question about a sum, not a count (配几个审核人员)
    count = "交易平台要配几个审核人员？"
    assert not sanction_states(
        count, states_answer(count, "number", ""), [conduct, sanction], [conduct, sanction], ["授权"]
    )


def test_retrievers_agree_on_a_passage_both_rank_among_their_first_two() -> None:
    from advisor.retrieval.grounding import _agreed

    def ranked(dense_rank: float, keyword_rank: float, dense: float = 0.93) -> Hit:
        scores = {"dense_rank": dense_rank, "keyword_rank": keyword_rank, "dense": dense}
        return Hit(chunk_id="c", doc_id="d", title="t", text="……", score=1.0, scores=scores)

    assert _agreed(ranked(2, 1)) and _agreed(ranked(1, 2))
    assert not _agreed(ranked(3, 1)) and not _agreed(ranked(1, 3)) and not _agreed(ranked(1, 1, dense=0.85))


def test_a_word_found_only_across_two_of_the_passages_words_is_not_there() -> None:
    from advisor.retrieval.lexicon import across_words, passage_words

    assert across_words("作文", passage_words("利用深度学习等生成合成类算法制作文本、图像"))
    assert not across_words("作文", passage_words("学生的作文由老师批改"))
    assert not across_words("国家", passage_words("国家网信部门负责统筹协调"))
    assert not across_words("数据要素", passage_words("数据要素市场"))  # only two-character words are checked


def test_the_keyword_search_agrees_with_the_closest_sentence_too() -> None:
    from advisor.retrieval.grounding import AGREED_SENTENCE, _agreed

    def ranked(keyword_rank: float, sentence_rank: float, sentence: float) -> Hit:
        scores = {
            "keyword_rank": keyword_rank,
            "sentence_rank": sentence_rank,
            "sentence": sentence,
            "dense": 0.8,
        }
        return Hit(chunk_id="c", doc_id="d", title="t", text="……", score=1.0, scores=scores)

    close = AGREED_SENTENCE + 0.01
    assert _agreed(ranked(1, 2, close)) and _agreed(ranked(2, 1, close))
    assert not _agreed(ranked(1, 3, close)) and not _agreed(ranked(3, 1, close))
    assert not _agreed(ranked(1, 1, AGREED_SENTENCE - 0.01))  # a loose likeness is no agreement


@pytest.mark.integration
def test_a_conjunction_names_nothing_the_corpus_lacks(corpus_advisor: Advisor) -> None:
    from advisor.retrieval.grounding import absent_terms

    keyword = corpus_advisor.snapshot.keyword
    assert not keyword.occurs("除此之外") and not keyword.occurs("气象云脑平台")
    assert absent_terms(["除此之外", "气象云脑平台"], keyword) == ["气象云脑平台"]


@pytest.mark.integration
def test_a_text_only_cited_and_pointed_back_at_cannot_say_anything(corpus_advisor: Advisor) -> None:
    """The labelling measures cite 《中华人民共和国网络安全法》 as a basis; what that law itself provides is not
    in the corpus, however the question points back at it (这部法). The measures' own rules are."""
    cited = _check(
        corpus_advisor, "标识办法把《中华人民共和国网络安全法》作为依据，这部法里对网络运营者有什么要求？"
    )
    assert not cited.grounded and cited.reason == HARD_MISS, cited
    own = _check(corpus_advisor, "《人工智能生成合成内容标识办法》发布了，这部办法里对显式标识有什么要求？")
    assert own.grounded, own


def test_a_question_for_the_sanction_of_a_breach_and_passages_that_state_one() -> None:
    from advisor.retrieval.sanctions import SANCTION, asks_sanction

    assert asks_sanction("图书馆不提供无线网络的话要承担什么法律责任？")
    assert asks_sanction("试点主体没配安全员会被怎么罚？")
    assert asks_sanction("What penalty applies to a platform that skips the label?")
    assert not asks_sanction("条例对公共场所提供无线网络有什么要求？")
    assert not asks_sanction("Which companies can fine-tune the model?")
    assert not asks_sanction("我们企业前年受过一次行政处罚，今年还能申报高新技术企业吗？")  # background
    assert SANCTION.search(PENALTY)
    assert SANCTION.search(
        "确认已尽职履责的，不作负面评价，依法免除相关责任。"
    )  # liability decided the other way
    assert not SANCTION.search("公共服务场所经营者应当为消费者提供无线网络接入服务。")


@pytest.mark.integration
def test_a_sanction_asked_of_a_text_without_liability_clauses_is_refused(corpus_advisor: Advisor) -> None:
    from advisor.retrieval.grounding import NO_SANCTION

    _answered_then_refused(
        corpus_advisor,
        "算法推荐服务提供者没有按规定履行备案手续，会受到什么处罚？",
        "北京数字经济促进条例要求公共机构开放公共数据，不开放的单位要承担什么法律责任？",
        NO_SANCTION,
    )


def test_the_askers_story_of_their_own_place_weighs_less_when_the_texts_lack_it(
    corpus_advisor: Advisor,
) -> None:
    """Words telling the asker's own situation before the question (我们县里手头紧…) are in no text: the
    question they lead to is what the passages must cover. The same story about another place is part of
    what is asked and weighs in full; a figure the texts lack stays refused, story or not."""
    story = "县手头紧，财政局长天天发愁，想拿出一笔钱撬动龙头企业落地，"
    asked = "报告对地方政府用产业基金招商有什么建议？"
    own, other = (
        _check(corpus_advisor, "我们" + story + asked),
        _check(corpus_advisor, "隔壁" + story + asked),
    )
    assert own.grounded and own.coverage - other.coverage > 0.2, (own.coverage, other.coverage)
    assert not _check(corpus_advisor, "我们" + story + "报告建议产业基金的管理费率定多少？").grounded
