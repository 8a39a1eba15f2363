"""A quoted sentence → what the city does about it. A plan's recommendation is an action for the city
(verb phrase, actor, horizon); the quote that supports it stays in the citation. The rewrite keeps the
quote's own words for the action (so the quote still supports it) and drops what makes it an excerpt:
slide labels ("市场培育："), article numbers, list markers, connectives, the report's "地方政府需…" voice.
An obligation of a national rule becomes a compliance task ("督促本市……服务提供者……"); a local rule's
duty of government becomes the city's own task. Definitions and plain descriptions are not actions."""

from __future__ import annotations

import re

from advisor.text import clean

# "市场培育：", "从经济发展的动力引擎看：" — a short label before a full-width colon opens many slides
_LABEL = re.compile(r"^[^，。；：:“”\n]{2,14}[：:]\s*")
_ARTICLE = re.compile(r"^第[一二三四五六七八九十百零〇]+条(之[一二三四五六七八九十]+)?\s*")
_ITEM = re.compile(
    r"^([（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+、|\d+[.、．)]|[-•·●▪]\s*)\s*"
)
_CONNECTIVE = re.compile(
    r"^(因此|同时|此外|另外|其中|为此|对此|首先|其次|最后|总之|综上|而且|并且|所以)[，,]?"
)
# "政府方，主要包括……" "本办法所称……是指……" "产业集群化发展是构建产业共同体的中国模式"
_DEFINITION = re.compile(
    r"^[^，。；]{1,16}[，,]\s*(则|主要|则主要)?(包括|包含|分为|是指|指的是|是|指)|"
    r"^[^，。；]{1,16}(主要|则主要)(包括|包含|分为|是|指)|所称|是指|例如|"
    r"[^，。；]{2,20}(是|为)[^，。；]{0,20}(模式|概念|总称|统称)"
)
# words that make a sentence a course of action rather than a description
_ACTION = re.compile(
    r"应当|应|需要|需|要|可以|可|鼓励|支持|推动|推进|加快|加强|建设|构建|打造|培育|引进|引导|设立|实施|开展|"
    r"建立|健全|完善|统筹|优化|落实|布局|注重|抓住|提升|促进|聚焦|发挥|搭建|组织|制定|出台|保障|督促|规范"
)
_GOVERNMENT = re.compile(
    r"^([^，。；]{0,24}?)(县级以上地方|县级以上|设区的市|省辖市|市、县|各级|地方各级|地方)?(人民政府|政府)"
    r"(及其有关部门|有关部门|相关部门)?(应当|应|需要|需|要|可以|可)"
)
_DUTY = re.compile(
    r"^([^，。；]{2,30}?(提供者|使用者|运营者|平台|机构|企业|单位|经营者|处理者))(应当|应|不得)"
)
_REPORT_VOICE = re.compile(
    r"^(地方政府|各地政府|各级政府|政府|区域规划发展工作|区域规划)(也)?(需要|需|要|可以|可|应当|应)?"
)
_VERB_START = re.compile(
    r"^(要|需要|需|应当|应)?(加快|推进|推动|实施|建设|构建|打造|培育|引进|引导|设立|开展|建立|健全|完善|统筹|优化|落实|"
    r"布局|注重|抓住|提升|促进|聚焦|发挥|搭建|组织|制定|出台|保障|支持|鼓励|加强|强化|深化|拓展|探索|规范|坚持|"
    r"围绕|依托|面向|做好|用好|推行|优先|大力|积极|持续|全面|着力|紧贴|紧跟|瞄准|谋划|部署|培养|集聚)"
)
_MODAL_START = re.compile(r"^(要|需要|需|应当|应|可以|可)")
# "现代科技服务体系需要搭建……": another subject's task becomes the city's (推动……)
_OTHER_SUBJECT = re.compile(r"^([^，。；]{2,16}?)(需要|应当)")
MAX_CHARS = 90


def strip_excerpt(sentence: str) -> str:
    """The sentence without what marks it as an excerpt: labels, article numbers, list markers,
    connectives, Markdown emphasis; one line."""
    s = clean(sentence).replace("**", "").strip()
    for _ in range(3):
        before = s
        s = _ARTICLE.sub("", s)
        s = _ITEM.sub("", s)
        s = _LABEL.sub("", s) if len(s) > 24 else s
        s = _CONNECTIVE.sub("", s).strip()
        if s == before:
            break
    return s


def is_definition(sentence: str) -> bool:
    """A definition or a description of who is who — never a recommendation."""
    return bool(_DEFINITION.search(strip_excerpt(sentence)[:40]))


def is_action(sentence: str) -> bool:
    s = strip_excerpt(sentence)
    return bool(_ACTION.search(s)) and not is_definition(s)


def _clip(text: str, limit: int = MAX_CHARS) -> str:
    """At most ``limit`` characters, cut at a clause boundary; ends with 。."""
    text = text.strip().rstrip("；;，,。:：")
    if len(text) > limit:
        cut = max(text.rfind(p, 0, limit) for p in "，；。")
        text = text[:cut] if cut >= limit // 3 else text[:limit]
        text = text.rstrip("；;，,、")
    return text + "。"


def to_action(sentence: str, city_short: str, national_rule: bool) -> str | None:
    """The sentence as an action of the city (see the module docstring), or None when it states no
    action (a definition, a description)."""
    s = strip_excerpt(sentence)
    if not s or is_definition(s):
        return None
    duty = _DUTY.match(s)
    if national_rule and duty:
        party, verb = duty.group(1), duty.group(3)
        rest = s[duty.end() :].lstrip("，, ")
        if verb == "不得":
            return _clip(f"督促本市{party}落实禁止性规定，不得{rest}")
        return _clip(f"督促本市{party}依规{rest}")
    if national_rule and "应当" in s:
        return _clip(f"督促本市相关主体落实以下要求：{s}")
    gov = _GOVERNMENT.match(s)
    if gov:
        rest = s[gov.end() :].lstrip("，, ")
        if len(rest) >= 8:
            return _clip(f"{city_short}{rest}")
    voice = _REPORT_VOICE.match(s)
    if voice and voice.end() > 0:
        rest = s[voice.end() :].lstrip("，, ")
        if len(rest) >= 8:
            return _clip(f"{city_short}{rest}")
    if _VERB_START.match(s):  # a verb phrase already: the city is its subject
        return _clip(f"{city_short}{_MODAL_START.sub('', s)}")
    other = _OTHER_SUBJECT.match(s)
    if other and not national_rule:
        rest = s[other.end() :].lstrip("，, ")
        if len(rest) >= 6 and _VERB_START.match(rest):
            return _clip(f"{city_short}推动{other.group(1)}{rest}")
    return None  # a description or a judgment: the title states the action, the quote backs it


__all__ = ["MAX_CHARS", "is_action", "is_definition", "strip_excerpt", "to_action"]
