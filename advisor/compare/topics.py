"""The comparison's topics: the nine default ones (from the report's methodology and the policy texts)
as data, each with a description for retrieval and seed terms that a clause must mention to count.

A free-text topic gets its seeds from its own words (jieba), so any topic a user types works the same
way; no wording of any question is built in.
"""

from __future__ import annotations

import re
from itertools import pairwise

import jieba
from pydantic import BaseModel, ConfigDict, Field

from advisor.compare.instruments import instruments
from advisor.index.keyword import KeywordIndex
from advisor.retrieval import dictionary, glossary, register
from advisor.retrieval.generic import GENERIC


class Topic(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    description: str = Field(description="Words added to the retrieval query.")
    core: tuple[str, ...] = Field(description="Terms that make a clause about the topic (weight 2).")
    related: tuple[str, ...] = Field(default=(), description="Supporting terms (weight 1).")
    together: tuple[tuple[str, ...], ...] = Field(
        default=(),
        description="Word groups that count as a core term when all occur (a free-text phrase's words).",
    )
    facets: tuple[tuple[str, ...], ...] = Field(
        default=(),
        description="The parts of a topic that joins two things (研发 与 成果转化), each as terms that name "
        "it: a cell shows a clause on each part the region's texts have.",
    )


DEFAULT_TOPICS: tuple[Topic, ...] = (
    Topic(
        name="算力与基础设施",
        description="算力 数据中心 智能计算中心 信息基础设施 网络 云计算 建设布局",
        core=(
            "算力",
            "数据中心",
            "计算中心",
            "基础设施",
            "超算",
            "云计算",
            "5G",
            "第五代移动通信",
            "物联网",
            "智算",
            "枢纽节点",
            # the networks themselves, as the older regulations name them
            "基站",
            "通信网",
            "无线网络",
        ),
        related=("网络", "宽带", "通信", "布局", "集约", "设施"),
        facets=(
            ("算力", "智算", "超算", "计算中心", "数据中心", "云计算"),
            ("基础设施", "网络", "5G", "第五代移动通信", "物联网", "通信", "基站", "无线网络"),
        ),
    ),
    Topic(
        name="数据要素",
        description="数据要素 公共数据 数据开放共享 数据交易 数据流通 数据资源",
        core=(
            "数据要素",
            "公共数据",
            "数据交易",
            "数据开放",
            "数据共享",
            "数据流通",
            "数据资源",
            "数据市场",
            "信息资源",
            # what the market trades and who holds it (the texts' 数据产品和服务, 数据资产评估, 数据权益)
            "数据产品",
            "数据资产",
            "数据权益",
            "数据产权",
        ),
        related=(
            "数据",
            "开放",
            "共享",
            "交易",
            "目录",
            "授权",
            "数据产品",  # named again: a clause on what the market trades is more about it
            "数据资产",
            "信息资源",
            "开发利用",
        ),
    ),
    Topic(
        name="人才",
        description="人才引进 人才培养 培训 高校 专业技术人才 激励",
        core=(
            "人才",
            "培训",
            "技能",
            "职业教育",
            "科研人员",
            "科技人员",
            "专业技术人员",
            "职称",
            "专业技术职务",
        ),
        related=("引进", "培养", "高校", "职业", "教育", "专家", "落户", "团队"),
    ),
    Topic(
        name="资金与基金",
        description="财政资金 专项资金 产业基金 投资 融资 贷款 补贴 奖励 税收优惠",
        core=("资金", "基金", "财政", "融资", "贷款", "补贴", "风险投资", "创业投资", "税收", "担保"),
        related=("投资", "金融", "奖励", "资助", "保险", "信贷", "资本", "优惠"),
        facets=(
            ("资金", "财政", "补贴", "奖励", "资助", "贷款", "税收"),
            ("基金", "风险投资", "创业投资", "股权投资", "投资机构"),
        ),
    ),
    Topic(
        name="应用场景",
        description="应用场景 示范应用 推广应用 场景开放 试点",
        core=(
            "应用场景",
            "场景",
            "示范应用",
            "推广应用",
            "应用推广",
            "应用示范",
            "示范项目",
            "首台",
            "首购",
            "试点",
            "先行先试",
            # opening use: the public sector first, then whole sectors (率先使用, 规模化应用, 应用试验)
            "率先使用",
            "规模化应用",
            "应用试验",
        ),
        related=("应用", "示范", "智慧", "采购", "推广"),
    ),
    Topic(
        name="企业培育与招商",
        description="企业培育 招商引资 孵化 中小企业 龙头企业 产业集聚 园区",
        core=(
            "招商",
            "孵化",
            "中小企业",
            "龙头企业",
            "企业培育",
            "培育企业",
            "产业集聚",
            "集群",
            "园区",
            "众创空间",
            "科技型企业",
            "高新技术企业",
            "国内外企业",  # drawing firms from elsewhere, as the texts say 招商
            "外资",
        ),
        related=("企业", "引进", "集聚", "培育", "创业", "产业链"),
        facets=(
            (
                "企业培育",
                "培育企业",
                "孵化",
                "中小企业",
                "龙头企业",
                "科技型企业",
                "高新技术企业",
                "众创空间",
            ),
            ("招商", "招引", "引资", "产业集聚", "集群", "园区", "国内外企业", "外资"),
        ),
    ),
    Topic(
        name="研发与成果转化",
        description="研发 关键核心技术攻关 科技成果转化 技术转移 知识产权 实验室 新型研发机构",
        core=(
            "成果转化",
            "研发",
            "技术攻关",
            "技术转移",
            "知识产权",
            "实验室",
            "研发机构",
            "科技成果",
            "创新平台",
            "共性技术",
            "研究开发",  # 研发 written out in full, as the older regulations do
            # how research is organised and paid for (科技攻关项目 by 揭榜挂帅, 基础研究, 科研项目)
            "科技攻关",
            "揭榜挂帅",
            "基础研究",
            "科研项目",
        ),
        related=("技术", "创新", "研究", "专利", "攻关", "转化"),
        facets=(
            ("研发", "研究开发", "技术攻关", "实验室", "研发机构", "共性技术", "基础研究", "创新平台"),
            ("成果转化", "技术转移", "科技成果", "知识产权", "产业化"),
        ),
    ),
    Topic(
        name="安全与伦理治理",
        description="安全 伦理 风险 监管 个人信息保护 算法 合规 治理",
        core=(
            *("网络安全", "数据安全", "信息安全", "安全保护", "安全风险", "安全评估", "安全管理"),
            *(
                "伦理",
                "个人信息",
                "隐私",
                "安全可控",
                "安全规范",
                "差异化监管",
                "包容审慎",
                "监管机制",
                "分类分级",
                "应急处置",
            ),
        ),
        related=("安全", "风险", "治理", "合规", "算法", "评估", "保护", "审查", "违法", "监管"),
        facets=(
            ("网络安全", "数据安全", "信息安全", "安全保护", "安全风险", "安全评估", "安全管理", "个人信息"),
            ("伦理",),
        ),
    ),
    Topic(
        name="组织保障",
        description="组织领导 协调机制 统筹 部门职责 考核 督促检查",
        core=(
            *("协调机制", "领导", "统筹", "考核", "工作机制", "联席会议", "协调机构", "督查"),
            # the bodies and offices a text sets up to carry the work (推进机构, 专家委员会, 首席数据官)
            *("推进机构", "领导小组", "专家委员会", "首席数据官", "协同管理"),
            *("主管部门负责", "负责组织", "负责推进", "负责本行政区域", "指导、协调"),  # … who does the work
        ),
        related=("部门", "职责", "协调", "督促", "纳入", "规划", "政府"),
    ),
)
DEFAULT_TOPIC_NAMES: tuple[str, ...] = tuple(t.name for t in DEFAULT_TOPICS)
MAX_TOPIC_CHARS = 30  # Chinese characters; a Latin letter, digit or space counts half (an English topic
# of four or five words, "cross-border data transfer rules", is as short a phrase as 跨境数据流动规则)
MAX_TOPICS = 15

_FUNCTION_WORDS = frozenset(
    [
        "的",
        "了",
        "和",
        "与",
        "及",
        "或",
        "等",
        "在",
        "对",
        "为",
        "是",
        "有",
        "相关",
        "方面",
        "问题",
        "政策",
        "措施",
        "情况",
        "工作",
        "如何",
        "怎么",
    ]
)


# One thing in the texts' own different words: the national laws' 个人信息 is the 深圳 data regulation's
# 个人数据; older regulations write 研究开发 for 研发, 信息资源 for 数据资源, 计算能力 for 算力 and 电子政务 for
# 数字政府. A
# free-text topic naming one also finds the other.
EQUIVALENTS: tuple[tuple[str, ...], ...] = (
    ("个人信息", "个人数据"),
    ("研发", "研究开发"),
    ("数据资源", "信息资源"),
    ("算力", "计算能力"),
    ("数字政府", "电子政务"),
    ("政务数据", "政务信息"),  # older texts say 信息 where newer ones say 数据
    ("数据共享", "信息共享", "资源共享"),
)


class TopicError(ValueError):
    """A topic that cannot be compared; the message says what to write."""


def _words(text: str) -> list[str]:
    words = [w.strip() for w in jieba.lcut(text)]
    keep = [w for w in words if len(w) >= 2 and w not in _FUNCTION_WORDS and not w.isascii()]
    return keep + [w for w in words if w.isascii() and w.isalnum() and len(w) >= 2]


def _variants(phrase: str) -> list[str]:
    """The phrase and the same phrase in the texts' other words (:data:`EQUIVALENTS`)."""
    out = [phrase]
    for same in EQUIVALENTS:
        for a in same:
            if a in phrase:
                out += [phrase.replace(a, b) for b in same if b != a and b not in phrase]
    return list(dict.fromkeys(out))


def _english_parts(text: str) -> list[tuple[str, ...]]:
    """An English phrase the glossary renders by one of its parts (cross-border data → 跨境) also names
    the rest: its leading words and its last word, each rendered, make a word group (跨境 … 数据)."""
    found, _ = glossary.glossary().match(text)
    groups: list[tuple[str, ...]] = []
    for en, _zh in found:
        ws = glossary.words(en)
        if len(ws) < 2:
            continue
        head, last = glossary.translate_terms(" ".join(ws[:-1])), glossary.translate_terms(ws[-1])
        if head and last and head[0] != last[0]:
            groups.append((head[0], last[0]))
    return groups


# A long typed phrase (创新容错免责机制) is seldom a text's own words: it is about its words that are rare
# in everyday Chinese (容错, 免责: jieba's dictionary counts them fewer than SPECIFIC_FREQUENCY times), each
# of which names it; its common words (创新, 机制) only support the score.
SPECIFIC_FREQUENCY = 1000
LONG_PHRASE_WORDS = 3


def _specific_words(phrases: list[str]) -> list[str]:
    jieba.initialize()
    return [
        w
        for p in phrases
        if len(words := _words(p)) >= LONG_PHRASE_WORDS
        for w in words
        if w != p and not w.isascii() and jieba.dt.FREQ.get(w, 0) < SPECIFIC_FREQUENCY
    ]


def _official(phrases: list[str]) -> tuple[list[str], list[str]]:
    """The texts' official words for the phrases' everyday ones (``register.yaml``): those of a word rare
    in everyday Chinese (杀熟 → 差别待遇, 价格歧视) name the topic; those of a common one (公司 → 企业) only
    support it."""
    jieba.initialize()
    naming: list[str] = []
    supporting: list[str] = []
    for p in phrases:
        for word, official in register.official_words(p).items():
            rare = jieba.dt.FREQ.get(word, 0) < SPECIFIC_FREQUENCY
            (naming if rare else supporting).extend(w for w in official if w not in p)
    return list(dict.fromkeys(naming)), list(dict.fromkeys(supporting))


def _dictionary_words(
    text: str, keyword: KeywordIndex | None = None
) -> tuple[list[str], list[tuple[str, ...]]]:
    """An English topic's words the glossary does not know, in the dictionary's Chinese (CC-CEDICT,
    offline): two neighbouring words written as one compound (price discrimination → 价格歧视) name the
    topic, and so do their renderings standing together in one article (价格 … 歧视); a topic of one
    such word is named by its renderings. With the corpus's ``keyword`` index, a word's renderings are
    those the texts use, the most common first (flow → 流动, not 心流 or 抛洒; broker → 经纪)."""
    said = [z for w in glossary.untranslated_words(text) if (z := _renderings(w, keyword))]
    if len(said) == 1:
        return list(said[0]), []
    pairs: list[tuple[str, ...]] = [(a, b) for left, right in pairwise(said) for a in left for b in right]
    return [a + b for a, b in pairs], pairs


def _renderings(word: str, keyword: KeywordIndex | None) -> tuple[str, ...]:
    if keyword is None:
        return dictionary.renderings(word)[:MAX_RENDERINGS]
    return tuple(dictionary.known_renderings(word, keyword)[:MAX_RENDERINGS])


MAX_RENDERINGS = 4  # a word's most used (else shortest) senses; the long tail (消费器件 for consumer) names
# other things


def free_topic(text: str, keyword: KeywordIndex | None = None) -> Topic:
    """A typed topic: each phrase (自动驾驶, 人才引进) is a core term, and so are all of its words
    together (人才 … 引进) and the phrase in the texts' other words (个人信息 → 个人数据); the single
    words support the score."""
    # … joined by 与, 和 or 及 (人才评价与职称改革), two phrases, each a part of the topic
    parts = re.split(r"[\s,，、;；/]+|(?<=[\u4e00-\u9fff]{2})[与和及](?=[\u4e00-\u9fff]{2})", text)
    phrases = [p for p in parts if len(p) >= 2 and p not in _FUNCTION_WORDS]
    english: list[tuple[str, ...]] = []
    rendered: list[str] = []
    if glossary.has_english(text):  # English topics search the corpus's Chinese terms (talent → 人才)
        rendered = glossary.translate_terms(text)
        # … as one phrase: "AI content labeling" is about 标识, not about everything that names AI
        specific = [r for r in rendered if r not in GENERIC] or rendered
        phrases = [p for p in phrases if not p.isascii()] + specific
        english = _english_parts(text)
        if len(rendered) > 1:
            english.append(tuple(rendered))
        compounds, pairs = _dictionary_words(text, keyword)
        phrases += compounds
        english += pairs
    variants = [_variants(p) for p in dict.fromkeys(phrases)]
    slang, plain = _official(phrases)
    named = [*(v for vs in variants for v in vs), *_specific_words(phrases), *slang, *instruments(phrases)]
    core = tuple(dict.fromkeys(named))
    groups = [tuple(dict.fromkeys(_words(p))) for p in core] + english
    words = tuple(dict.fromkeys(w for g in [*groups, plain] for w in g if w not in core))
    if not core and not words:
        raise TopicError(f"无法识别主题“{text}”：请使用中文或英文关键词，如“自动驾驶”“人才引进”。")
    return Topic(
        name=text,
        description=text,
        core=core,
        related=words,
        together=tuple(dict.fromkeys(g for g in groups if len(g) > 1)),
        # an English phrase's renderings are one thing said two ways (数据交易所, 数据交易), no parts
        facets=tuple(tuple(vs) for vs in variants) if len(variants) > 1 and not rendered else (),
    )


def topic_length(text: str) -> float:
    """A topic's length in Chinese characters: an ASCII character counts half."""
    return sum(0.5 if ch.isascii() else 1.0 for ch in text)


def topic(name: str, keyword: KeywordIndex | None = None) -> Topic:
    """A default topic by name, or a free-text topic whose seeds are its own content words (an English
    word outside the glossary in the words the corpus of ``keyword`` uses for it)."""
    text = re.sub(r"\s+", " ", str(name or "")).strip()
    if not text:
        raise TopicError("主题不能为空：请填写如“人才”“数据要素”的主题。")
    if topic_length(text) > MAX_TOPIC_CHARS:
        raise TopicError(
            f"主题过长（{len(text)} 字）：请用不超过 {MAX_TOPIC_CHARS} 个汉字（英文约 {2 * MAX_TOPIC_CHARS} 个字母）"
            "的短语，如“低空经济”。"
        )
    for t in DEFAULT_TOPICS:
        if text in (t.name, t.name.replace("与", "和")):
            return t
    return free_topic(text, keyword)


def topics(names: list[str] | tuple[str, ...] | None, keyword: KeywordIndex | None = None) -> list[Topic]:
    """The topics to compare: the defaults when none are given; duplicates dropped, order kept."""
    chosen = [topic(n, keyword) for n in names] if names else list(DEFAULT_TOPICS)
    unique = list({t.name: t for t in chosen}.values())
    if len(unique) > MAX_TOPICS:
        raise TopicError(f"主题过多（{len(unique)} 个）：一次最多比较 {MAX_TOPICS} 个主题。")
    return unique
