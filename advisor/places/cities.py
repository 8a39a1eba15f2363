"""Cities: resolve a Chinese city name to its province (never guessing), and load a city's profile.

**Resolution.** The administrative-division table shipped inside the ``cpca`` wheel
(``cpca/resources/adcodes.csv``, about 3,500 rows) is read directly; ``cpca.transform`` is not used
because it silently picks one place when several share a name. Every province, prefecture-level
unit, county-level city, district and county becomes an entry with its full name and short forms
(``合肥市``/``合肥``, ``延边朝鲜族自治州``/``延边``/``延边州``, ``阿克苏地区``/``阿克苏``,
``浦东新区``/``浦东``). The input may be a chain from big to small, with or without separators:
``辽宁朝阳``, ``辽宁省朝阳市``, ``江苏 苏州 昆山``, ``合肥市（安徽省）``.

Rules, in order:

1. If some match spells an official full name (``朝阳市``), only full-name matches count.
2. One match → that place. Several matches → the single city among them *if* every other match
   lies inside it (``抚顺`` = 抚顺市 and its 抚顺县). Otherwise :class:`CityError` listing every
   candidate (``朝阳`` = 辽宁省朝阳市, 北京市朝阳区, 吉林省长春市朝阳区 …; ``吉林`` = 吉林省, 吉林市;
   ``大理`` = 大理白族自治州, 大理市; ``西安`` = 西安市, 辽源市西安区 …). About 20 prefecture-level short
   names are ambiguous this way; their full names (``西安市``) always resolve, and
   ``resolve_city(name, prefer_cities=True)`` lets a prefecture-level city beat districts and counties
   of other prefecture-level cities (but not districts of 北京/上海/天津/重庆).
3. Districts (市辖区) are accepted only when they are what the input names unambiguously
   (``北京市朝阳区``, ``北京朝阳``, ``海淀``): the result has ``level="district"`` and ``prefecture``
   is the city the district belongs to, so callers can draft for that city or for the district.
4. Counties (县、自治县、旗、林区、特区) and provinces are not cities: :class:`CityError` names the
   city (or the province's cities) to use instead. Hong Kong, Macao and Taiwan are out of scope.

A county-level city directly administered by its province (仙桃、济源、石河子、五指山 …) has
``prefecture`` equal to its own name. The cpca table dates from about 2017; the two later changes
at prefecture level are patched here (那曲地区 → 那曲市 in 2017, 莱芜市 merged into 济南市 in 2019).
Later county-level changes (e.g. 撤县设市 since 2018) are not known to the table.

Profiles (local facts of a city) live in :mod:`advisor.planning.profile`.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from advisor.places.regions import (
    ABOLISHED,
    CITY_KINDS,
    KIND_ORDER,
    Entry,
    display_name,
    parent_of,
    province_of,
    table,
    within,
)

__all__ = [
    "CityError",
    "CityMatch",
    "all_city_names",
    "resolve_city",
    "suggest_cities",
]

MAX_NAME_CHARS = 40

CityLevel = Literal["municipality", "prefecture", "county", "district"]


# --------------------------------------------------------------------------- public types


class CityMatch(BaseModel):
    """A resolved place: a city (municipality, prefecture-level or county-level) or a district."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(description="Full official name, e.g. 合肥市 / 昆山市 / 朝阳区.")
    short: str = Field(description="Short name without the administrative suffix, e.g. 合肥.")
    province: str = Field(description="Province-level unit, e.g. 安徽省; 北京市 for Beijing itself.")
    province_short: str = Field(description="Short province name: 安徽 / 北京 / 广西 / 内蒙古 / 新疆.")
    prefecture: str = Field(
        description="Prefecture-level city containing it (苏州市 for 昆山市, 北京市 for 朝阳区); "
        "its own name for a prefecture, a municipality or a county-level city under its province."
    )
    adcode: str = Field(description="Six-digit administrative division code, e.g. 340100.")
    level: CityLevel = Field(description="municipality / prefecture / county (县级市) / district (市辖区).")

    @property
    def full_name(self) -> str:
        """Name with its province and prefecture, e.g. 安徽省合肥市, 江苏省苏州市昆山市, 北京市朝阳区."""
        parts = [self.province]
        for part in (self.prefecture, self.name):
            if part != parts[-1]:
                parts.append(part)
        return "".join(parts)


class CityError(ValueError):
    """A city name that is empty, unknown, ambiguous or not a city; the message says what to write."""

    def __init__(self, message: str, candidates: Iterable[str] = ()) -> None:
        super().__init__(message)
        self.candidates: list[str] = list(candidates)


_SEPARATORS = re.compile(r"[\s\u3000,，、/／·・\-－—>＞|｜_]+")
_PAREN = re.compile(r"^(?P<main>[^（(]+)[（(](?P<inner>[^）)]+)[）)]$")
_HAN = re.compile(r"^[\u3400-\u9fff]+$")


def _normalize(name: object) -> str:
    if not isinstance(name, str):
        raise CityError("城市名称应为文字，如“合肥”或“安徽省合肥市”。")
    text = name.strip()
    if not text:
        raise CityError("请填写城市名称，如“合肥”或“安徽省合肥市”。")
    if len(text) > MAX_NAME_CHARS:
        raise CityError(f"城市名称过长（{len(text)} 字）：请只填写城市名称，如“合肥市”或“江苏省昆山市”。")
    paren = _PAREN.match(text.replace(" ", ""))
    if paren:  # 合肥市（安徽省） → 安徽省合肥市
        text = paren["inner"] + paren["main"]
    text = _SEPARATORS.sub("", text)
    if not text:
        raise CityError("请填写城市名称，如“合肥”或“安徽省合肥市”。")
    if re.search(r"[A-Za-zＡ-Ｚａ-ｚ]", text):
        raise CityError(f"请使用中文地名填写城市（如“合肥”，而不是“{name.strip()}”）。")
    if not _HAN.match(text):
        raise CityError(
            f"城市名称只能包含汉字：“{name.strip()}”不是有效的地名，请填写如“合肥”或“安徽省合肥市”。"
        )
    return text


def _segment(text: str, parent: Entry | None) -> list[tuple[Entry, bool]]:
    """All readings of ``text`` as a chain of names, each inside the previous one; the last is returned."""
    aliases = table().aliases
    found: list[tuple[Entry, bool]] = []
    for end in range(len(text), 1, -1):
        rest = text[end:]
        for entry, full in aliases.get(text[:end], ()):
            if parent is not None and not within(entry, parent):
                continue
            if not rest:
                found.append((entry, full))
            elif entry.kind in ("province", "municipality", "prefecture"):
                found.extend(_segment(rest, entry))
    return found


def _sorted(entries: Iterable[Entry]) -> list[Entry]:
    return sorted(entries, key=lambda e: (KIND_ORDER[e.kind], e.code))


def _list_names(entries: Sequence[Entry], limit: int = 8) -> str:
    names = [display_name(e) for e in entries[:limit]]
    more = f"等 {len(entries)} 处" if len(entries) > limit else ""
    return "、".join(names) + more


def _not_found(raw: str, text: str) -> CityError:
    tab = table()
    near: list[Entry] = []
    for start in range(1, len(text) - 1):  # 安徽成都 → 成都
        near += [e for e, _ in tab.aliases.get(text[start:], ())]
        if near:
            break
    if not near:
        shorts = {e.short: e for e in tab.cities}
        near = [shorts[s] for s in difflib.get_close_matches(text, list(shorts), n=5, cutoff=0.5)]
    cities = [e for e in _sorted(dict.fromkeys(near)) if e.kind in CITY_KINDS]
    message = f"未找到城市“{raw}”：请检查是否有错别字，或写全称，如“安徽省合肥市”。"
    if cities:
        message += f"您是否要找：{_list_names(cities, 5)}？"
    return CityError(message, [display_name(e) for e in cities[:5]])


def _to_match(entry: Entry, raw: str) -> CityMatch:
    province = province_of(entry)
    parent = parent_of(entry)
    if entry.kind == "sar":
        raise CityError(f"“{raw}”暂不在支持范围内：目前只支持内地（大陆）的城市。")
    if entry.kind == "province":
        cities = [e for e in table().cities if e.kind == "prefecture" and within(e, entry)]
        example = display_name(cities[0]) if cities else "安徽省合肥市"
        raise CityError(
            f"“{raw}”是省级行政区，不是城市：请写该省的一个城市，如“{example}”。",
            [display_name(e) for e in cities],
        )
    if entry.kind == "xian":
        if parent.kind == "province":
            raise CityError(
                f"“{raw}”是{parent.name}直辖的县级行政区（{entry.name}），不是城市，暂不能单独制定方案；"
                f"请改写{parent.name}的一个城市。"
            )
        raise CityError(
            f"“{raw}”是{display_name(parent)}下辖的县级行政区（{entry.name}），不是城市："
            f"可按“{display_name(parent)}”制定方案（如该县已撤县设市或设区，也请写所属地级市）。",
            [display_name(parent)],
        )
    level: CityLevel = entry.kind
    return CityMatch(
        name=entry.name,
        short=entry.short,
        province=province.name,
        province_short=province.short,
        prefecture=entry.name if entry.kind != "district" and parent.kind == "province" else parent.name,
        adcode=entry.adcode,
        level=level,
    )


def resolve_city(name: str, *, prefer_cities: bool = False) -> CityMatch:
    """Resolve a city name (合肥, 合肥市, 安徽合肥, 昆山, 延边, 北京市朝阳区 …) or raise :class:`CityError`.

    Never guesses: a name shared by several places raises with every candidate listed. With
    ``prefer_cities=True`` a prefecture-level city's own name also wins over same-named districts and
    counties of *other prefecture-level cities* (西安 → 西安市 despite 辽源市西安区); districts of
    北京/上海/天津/重庆 and county-level cities still make a name ambiguous (朝阳, 阿克苏).
    """
    text = _normalize(name)
    raw = name.strip()
    for old, message, successor in ABOLISHED.values():
        if text in (old, old[:-1]) or text.endswith(old):
            raise CityError(f"{message}：请写“{successor}”。", [successor])
    found = _segment(text, None)
    if not found:
        raise _not_found(raw, text)
    full_only = [(e, full) for e, full in found if full]
    entries = _sorted(dict.fromkeys(e for e, _ in (full_only or found)))
    cities = [e for e in entries if e.kind in CITY_KINDS]
    if len(entries) == 1:
        return _to_match(entries[0], raw)
    if len(cities) == 1 and all(e is cities[0] or within(e, cities[0]) for e in entries):
        return _to_match(cities[0], raw)
    if prefer_cities and len(cities) == 1 and cities[0].kind == "prefecture":
        others = [e for e in entries if e is not cities[0] and not within(e, cities[0])]
        if all(e.kind in ("district", "xian") and parent_of(e).kind == "prefecture" for e in others):
            return _to_match(cities[0], raw)
    candidates = [display_name(e) for e in entries if e.kind in (*CITY_KINDS, "district", "xian")]
    example = candidates[0] if candidates else display_name(entries[0])
    raise CityError(f"“{raw}”有多个匹配：{_list_names(entries)}。请写全称，如“{example}”。", candidates)


def all_city_names() -> list[str]:
    """Every municipality, prefecture-level and county-level city, e.g. "安徽省 合肥市", "江苏省 苏州市 昆山市".

    Sorted by division code (so grouped by province); each string is accepted by :func:`resolve_city`.
    """
    return [display_name(e, " ") for e in table().cities]


def _heads(entry: Entry) -> set[str]:
    """Names of the places above ``entry`` that may precede it: 安徽, 安徽省, 苏州, 江苏苏州 …"""
    province, parent = province_of(entry), parent_of(entry)
    if entry is province:
        return set()
    heads = {province.name, *province.shorts}
    if parent is not province:
        below = {parent.name, *parent.shorts}
        heads |= below | {p + b for p in list(heads) for b in below}
    return heads


def suggest_cities(prefix: str, limit: int = 20) -> list[str]:
    """Cities for autocomplete: those whose name, short name or "省+市" name starts with ``prefix``.

    Exact names first, then municipalities and prefecture-level cities, then county-level cities.
    """
    text = _SEPARATORS.sub("", prefix or "")
    if not text or limit <= 0:
        return []
    scored: list[tuple[int, int, str, str]] = []
    for entry in table().cities:
        names = (entry.name, *entry.shorts)
        if text in names:
            rank = 0
        elif any(n.startswith(text) for n in names):
            rank = 1
        elif any(
            text.startswith(head) and (text == head or any(n.startswith(text[len(head) :]) for n in names))
            for head in _heads(entry)
        ):
            rank = 2
        else:
            continue
        scored.append((rank, KIND_ORDER[entry.kind], entry.code, display_name(entry, " ")))
    scored.sort()
    return [s[-1] for s in scored[:limit]]
