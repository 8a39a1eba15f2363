"""The provinces and cities a question names (武汉, 天津市, Hangzhou through the glossary). A fact about a
place needs a passage about that place; advice for a place (合肥应该如何发展AI产业) can come from the
report's general methodology, so only questions that ask for facts are held to it."""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files

from advisor.places.regions import table
from advisor.types import Hit

_KINDS = ("province", "sar", "municipality", "prefecture")
# Asks what a place should do (advice), not what its texts say.
_ADVICE = re.compile(
    r"(?:应该|应当|该|要|可以)(?:如何|怎么|怎样)|如何(?:发展|培育|推动|推进|建设|打造|布局|做)|怎样(?:发展|培育)"
    r"|有什么建议|给.{0,6}建议|how (?:should|can|could|to)\b|what should\b|\brecommend",
    re.I,
)


@cache
def _names() -> dict[str, tuple[str, ...]]:
    """Every name of a province or city (full and short, two characters or more) → all its names."""
    out: dict[str, tuple[str, ...]] = {}
    for entry in table().entries.values():
        if entry.kind in _KINDS:
            names = tuple(n for n in (entry.name, *entry.shorts) if len(n) >= 2)
            for n in names:
                out.setdefault(n, names)
    return out


@cache
def _longest_first() -> tuple[str, ...]:
    return tuple(sorted(_names(), key=len, reverse=True))


@cache
def _romanized() -> tuple[re.Pattern[str], dict[str, tuple[str, ...]]]:
    """English names of provinces and cities (Hefei, Xi'an; ``advisor/places/romanized.tsv``) → all the
    Chinese names of the places they name (Taizhou is 台州 and 泰州)."""
    rows = files("advisor.places").joinpath("romanized.tsv").read_text(encoding="utf-8").splitlines()
    names = _names()
    out: dict[str, list[str]] = {}
    for row in rows:
        en, _, zh = row.partition("\t")
        for key in {en.lower(), en.lower().replace("'", "")}:
            out.setdefault(key, []).extend(names.get(zh, (zh,)))
    pattern = re.compile(r"\b(" + "|".join(sorted(map(re.escape, out), key=len, reverse=True)) + r")\b")
    return pattern, {k: tuple(dict.fromkeys(v)) for k, v in out.items()}


def romanized_places(text: str) -> list[str]:
    """The Chinese names (full and short) of the places ``text`` names in English (Sichuan → 四川省,
    四川): a Chinese text says 四川, never Sichuan, so search needs them."""
    return list(dict.fromkeys(n for names in _named_in_english(text) for n in names))


def _named_in_english(text: str) -> list[tuple[str, ...]]:
    """For each English place name in ``text``, all the Chinese names of the places it names."""
    if not re.search(r"[A-Za-z]{3}", text):
        return []
    pattern, romanized = _romanized()
    return [romanized[m.group(1)] for m in pattern.finditer(text.lower().replace("’", "'"))]


def minor_place(term: str) -> bool:
    """A word the dictionary takes for a place (西湖) that is no province or city: those are checked as
    places (a provincial text governs its cities)."""
    import jieba.posseg

    return len(term) >= 2 and jieba.posseg.dt.word_tag_tab.get(term) == "ns" and not places_in(term)


def places_in(text: str) -> dict[str, tuple[str, ...]]:
    """The places ``text`` names as words of their own (阿里巴巴 names no 阿里地区), each with all its
    names; a name inside a longer one found is skipped. English names count too (Xi'an → 西安市)."""
    import jieba

    words = set(jieba.lcut(text))
    found: dict[str, tuple[str, ...]] = {}
    for names in _named_in_english(text):
        found[names[0]] = names
    for name in _longest_first():
        if name in text and not any(name in longer for longer in found) and _a_word(name, text, words):
            found[name] = _names()[name]
    return found


# Two-character city names that are also everyday words (来宾 a guest, 日照 sunshine, 阿里 a company),
# beside those jieba's dictionary tags as a verb, adjective, adverb … (开封 to unseal, 大同, 清远)
_EVERYDAY_NAMES = frozenset(["来宾", "日照", "阿里", "安康", "白银"])
_NOT_A_NAME = frozenset(["v", "vn", "a", "ad", "d", "b", "j", "s"])
_AREAS = frozenset(
    [
        "经济特区",
        "特区",
        "新区",
        "自贸区",
        "自由贸易试验区",
        "高新区",
        "开发区",
        "市区",
        "地区",
        "城区",
        "城",
    ]
)


# … or by its government (上海市政府, 深圳市人民政府: one word to jieba), which its own texts call 市人民政府
_GOVERNMENT = re.compile(r"[省市区县]?(?:人民)?政府")


def _names_area(word: str, name: str) -> bool:
    """``word`` is place ``name`` followed by a kind of area of it (厦门经济特区, 北京城) or by its
    government (上海市政府)."""
    rest = word[len(name) :]
    return word.startswith(name) and (rest in _AREAS or _GOVERNMENT.fullmatch(rest) is not None)


def names_government(term: str) -> bool:
    """Whether ``term`` is a place's government (上海市政府): the place is what a passage must be about;
    its texts name the government as 市人民政府, never with the place."""
    return any(_names_area(term, n) and term != n for names in places_in(term).values() for n in names)


def in_place_word(term: str, text: str) -> bool:
    """Whether ``term`` is part of a word of ``text`` that names a place's area (京城 of 北京城): the place
    is the thing named, not the fragment."""
    import jieba

    return any(
        term in w and term != w and any(_names_area(w, n) for n in places_in(w)) for w in jieba.lcut(text)
    )


def _a_word(name: str, text: str, words: set[str]) -> bool:
    """``name`` is a word of ``text``; a two-character name only where the dictionary takes it for a
    noun (合肥 n, 桂林 nr, 南通 nz) and it is no everyday word (来宾 is also a guest)."""
    import jieba.posseg

    if name not in words:  # … or opens a word that names an area of it (厦门经济特区: one word to jieba)
        return any(_names_area(w, name) for w in words)
    if len(name) > 2:
        return True
    return name not in _EVERYDAY_NAMES and jieba.posseg.dt.word_tag_tab.get(name, "ns") not in _NOT_A_NAME


def asks_advice(question: str) -> bool:
    return bool(_ADVICE.search(question))


def provinces_of(names: list[str]) -> set[str]:
    """The provinces (two-digit codes) the places or regions ``names`` lie in (北京市 → 11, 郑州 → 41)."""
    aliases = table().aliases
    return {e.code[:2] for n in names for e, _ in aliases.get(n, ())}


def mentions(hits: list[Hit], name: str, asked: set[str]) -> bool:
    """Whether a retrieved passage speaks of the place ``name``: a national text or the report may say
    what any place does, but a local text speaks for its own region, and its mention of another (本市推动
    与天津市协同) says nothing that place does, unless the question asks about the text's region too."""
    return any(
        speaks_for(h, asked) and name.lower() in f"{h.title} {h.section} {h.text}".lower() for h in hits
    )


def speaks_for(hit: Hit, provinces: set[str]) -> bool:
    """Whether a passage's text may say what happens in ``provinces``: a national text or the report, or a
    local text of one of them."""
    region = str(hit.meta.get("region", ""))
    return region in ("", "全国") or bool(provinces_of([region]) & provinces)


def names_other_place(question: str, text: str, *, inside: bool = True, city: bool = False) -> bool:
    """Whether ``text`` names a place the question does not, ``inside`` the province it names if it names
    one: 哪个市 of 甘肃 is answered by a city of 甘肃, not by 甘肃 again or by 贵州 listed beside it; a
    ``city`` or county asked for (哪个城市, 哪些县市) by a city or county, not by the provinces a plan lists."""
    asked = places_in(question)
    said = {n for names in asked.values() for n in names}  # 北京 is 北京市 too
    within = provinces_of(list(asked)) if inside else set()
    return any(
        not said & set(names)
        and (not within or provinces_of([name]) & within)
        and (not city or _a_city(name))
        for name, names in places_in(text).items()
    )


def _a_city(name: str) -> bool:
    return any(e.kind in ("municipality", "prefecture", "county") for e, _ in table().aliases.get(name, ()))


# 哪个市, 哪些县: a city or county asked for (not 哪个市级部门, 哪个区域), as a place of that kind
PLACE_UNITS = {"市": "城市", "省": "省份", "县": "县区", "区": "县区"}  # (城市, 县区: no province answers)
PLACE_UNIT_ASKED = re.compile(
    rf"哪[一几]?[个些]?[{''.join(PLACE_UNITS)}](?![\u4e00-\u9fff]{{0,2}}(?:级|域|长|委|政府|部门))"
)


def asks_place_by_name(question: str, kind: str) -> bool:
    """Whether ``question`` asks which places of ``kind`` (哪些城市, 试点地区有哪些), not 哪个城市目标 (the
    目标) nor 建哪些管城市、管环境的平台 (the 平台)."""
    import jieba.posseg as pseg

    if not re.search(rf"哪[一几]?[个些]?{kind}|{kind}(?:有|是|为)哪", question):
        return False
    cut = [(w, pseg.dt.word_tag_tab.get(w, t)) for w, t in pseg.cut(question)]
    return not any(
        w == kind and i + 1 < len(cut) and cut[i + 1][1][:1] == "n" for i, (w, _) in enumerate(cut)
    )
