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

import csv
import difflib
import functools
import importlib.util
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

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


# --------------------------------------------------------------------------- the table

_Kind = Literal["province", "sar", "municipality", "prefecture", "county", "district", "xian"]
_CITY_KINDS = ("municipality", "prefecture", "county")
_KIND_ORDER = {
    "municipality": 0,
    "prefecture": 1,
    "county": 2,
    "district": 3,
    "xian": 4,
    "province": 5,
    "sar": 6,
}
_MUNICIPALITIES = {"110000", "120000", "310000", "500000"}
_SARS = {"710000", "810000", "820000"}
_PLACEHOLDERS = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
_PROVINCE_SHORT = {
    "内蒙古自治区": "内蒙古",
    "广西壮族自治区": "广西",
    "西藏自治区": "西藏",
    "宁夏回族自治区": "宁夏",
    "新疆维吾尔自治区": "新疆",
    "香港特别行政区": "香港",
    "澳门特别行政区": "澳门",
}
# cpca code -> (current name, current adcode). Codes stay as in cpca for the hierarchy.
_RENAMED = {"542400": ("那曲市", "540600"), "542421": ("色尼区", "540602")}
# cpca code -> (current name, current code, which also moves it in the hierarchy).
_MOVED = {"371202": ("莱芜区", "370116"), "371203": ("钢城区", "370117")}
_ABOLISHED = {
    "371200": ("莱芜市", "莱芜市已于2019年撤销，原辖区域划归济南市（今济南市莱芜区、钢城区）", "山东省济南市")
}


@dataclass(frozen=True, slots=True)
class _Entry:
    code: str  # six digits, used for the hierarchy
    adcode: str  # six digits, public (differs from code only for patched rows)
    name: str
    shorts: tuple[str, ...]
    kind: _Kind

    @property
    def short(self) -> str:
        return self.shorts[0] if self.shorts else self.name


@dataclass(frozen=True, slots=True)
class _Table:
    entries: dict[str, _Entry]
    aliases: dict[str, tuple[tuple[_Entry, bool], ...]]  # alias -> (entry, alias is the full name)
    cities: tuple[_Entry, ...]  # municipalities, prefectures and county-level cities, by code


def _adcodes_csv() -> Path:
    spec = importlib.util.find_spec("cpca")  # locates the package without importing it
    locations = list(spec.submodule_search_locations or []) if spec else []
    for location in locations:
        path = Path(location) / "resources" / "adcodes.csv"
        if path.is_file():
            return path
    raise RuntimeError(
        "找不到行政区划数据（cpca 包的 resources/adcodes.csv）：请运行 `make setup` 安装依赖。"
    )


def _nation_suffixes(csv_path: Path) -> tuple[str, ...]:
    path = csv_path.with_name("56_nations.csv")
    names = [n.strip() for n in path.read_text(encoding="utf-8").splitlines()] if path.is_file() else []
    suffixes = {n for n in names if n}
    suffixes |= {n[:-1] for n in suffixes if n.endswith("族") and len(n) >= 3}  # 蒙古, 柯尔克孜 …
    return tuple(sorted(suffixes, key=lambda n: (-len(n), n)))  # longest first; a set has no order


def _strip_nations(stem: str, nations: Sequence[str]) -> str:
    changed = True
    while changed:
        changed = False
        for nation in nations:
            if stem.endswith(nation) and len(stem) - len(nation) >= 2:
                stem, changed = stem[: -len(nation)], True
                break
    return stem


def _short_forms(name: str, kind: _Kind, nations: Sequence[str]) -> tuple[str, ...]:
    """Short names, best first; each at least two characters."""
    forms: list[str] = []
    if kind in ("province", "municipality", "sar"):
        if name in _PROVINCE_SHORT:
            forms.append(_PROVINCE_SHORT[name])
        elif name.endswith(("省", "市")):
            forms.append(name[:-1])
    elif kind in ("prefecture", "county"):
        if name.endswith("自治州"):
            stem = _strip_nations(name[:-3], nations)
            forms += [stem, stem + "州", stem + "自治州"]
        elif name.endswith("地区"):
            forms.append(name[:-2])
        elif name.endswith(("市", "盟")):
            forms.append(name[:-1])
    elif kind == "district":
        forms.append(name[:-1])
        if name.endswith("新区") and len(name) >= 4:
            forms.append(name[:-2])  # 浦东新区 → 浦东
    else:  # xian
        for suffix in ("自治县", "自治旗", "林区", "特区", "县", "旗"):
            if name.endswith(suffix):
                stem = name[: -len(suffix)]
                forms.append(_strip_nations(stem, nations) if suffix.startswith("自治") else stem)
                break
    out: list[str] = []
    for form in forms:
        if len(form) >= 2 and form != name and form not in out:
            out.append(form)
    return tuple(out)


def _kind_of(code: str, name: str) -> _Kind | None:
    if code.endswith("0000"):
        return "municipality" if code in _MUNICIPALITIES else "sar" if code in _SARS else "province"
    if name in _PLACEHOLDERS:
        return None
    if code.endswith("00"):
        return "prefecture"
    if name.endswith("市"):
        return "county"
    if name.endswith("区") and name != "神农架林区" and not name.endswith("特区"):
        return "district"
    if name.endswith(("县", "旗", "林区", "特区")):
        return "xian"
    return None  # 西沙群岛 and similar non-standard rows


@functools.cache
def _table() -> _Table:
    csv_path = _adcodes_csv()
    nations = _nation_suffixes(csv_path)
    entries: dict[str, _Entry] = {}
    with csv_path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            code, name = (row.get("adcode") or "")[:6], (row.get("name") or "").strip()
            if len(code) != 6 or not code.isdigit() or not name or code in _ABOLISHED:
                continue
            adcode = code
            if code in _RENAMED:
                name, adcode = _RENAMED[code]
            elif code in _MOVED:
                name, code = _MOVED[code]
                adcode = code
            kind = _kind_of(code, name)
            if kind is not None:
                entries[code] = _Entry(code, adcode, name, _short_forms(name, kind, nations), kind)
    aliases: dict[str, list[tuple[_Entry, bool]]] = {}
    for entry in entries.values():
        aliases.setdefault(entry.name, []).append((entry, True))
        for short in entry.shorts:
            aliases.setdefault(short, []).append((entry, False))
    cities = tuple(sorted((e for e in entries.values() if e.kind in _CITY_KINDS), key=lambda e: e.code))
    return _Table(entries, {k: tuple(v) for k, v in aliases.items()}, cities)


def _province(entry: _Entry) -> _Entry:
    return _table().entries[entry.code[:2] + "0000"]


def _parent(entry: _Entry) -> _Entry:
    """The prefecture-level unit (or municipality / province when directly administered) above it."""
    entries = _table().entries
    if entry.kind in ("county", "district", "xian"):
        prefecture = entries.get(entry.code[:4] + "00")
        if prefecture is not None and prefecture.kind == "prefecture":
            return prefecture
    return _province(entry)


def _within(entry: _Entry, ancestor: _Entry) -> bool:
    if entry.code == ancestor.code:
        return False
    if ancestor.kind in ("province", "municipality", "sar"):
        return entry.code[:2] == ancestor.code[:2]
    if ancestor.kind == "prefecture":
        return entry.code[:4] == ancestor.code[:4]
    return False


def _display(entry: _Entry, sep: str = "") -> str:
    """安徽省合肥市, 北京市, 北京市朝阳区, 江苏省苏州市昆山市 (with ``sep`` between the parts)."""
    parts = [_province(entry).name]
    for part in (_parent(entry).name, entry.name):
        if part != parts[-1]:
            parts.append(part)
    return sep.join(parts)


# --------------------------------------------------------------------------- resolution

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


def _segment(text: str, parent: _Entry | None) -> list[tuple[_Entry, bool]]:
    """All readings of ``text`` as a chain of names, each inside the previous one; the last is returned."""
    aliases = _table().aliases
    found: list[tuple[_Entry, bool]] = []
    for end in range(len(text), 1, -1):
        rest = text[end:]
        for entry, full in aliases.get(text[:end], ()):
            if parent is not None and not _within(entry, parent):
                continue
            if not rest:
                found.append((entry, full))
            elif entry.kind in ("province", "municipality", "prefecture"):
                found.extend(_segment(rest, entry))
    return found


def _sorted(entries: Iterable[_Entry]) -> list[_Entry]:
    return sorted(entries, key=lambda e: (_KIND_ORDER[e.kind], e.code))


def _list_names(entries: Sequence[_Entry], limit: int = 8) -> str:
    names = [_display(e) for e in entries[:limit]]
    more = f"等 {len(entries)} 处" if len(entries) > limit else ""
    return "、".join(names) + more


def _not_found(raw: str, text: str) -> CityError:
    table = _table()
    near: list[_Entry] = []
    for start in range(1, len(text) - 1):  # 安徽成都 → 成都
        near += [e for e, _ in table.aliases.get(text[start:], ())]
        if near:
            break
    if not near:
        shorts = {e.short: e for e in table.cities}
        near = [shorts[s] for s in difflib.get_close_matches(text, list(shorts), n=5, cutoff=0.5)]
    cities = [e for e in _sorted(dict.fromkeys(near)) if e.kind in _CITY_KINDS]
    message = f"未找到城市“{raw}”：请检查是否有错别字，或写全称，如“安徽省合肥市”。"
    if cities:
        message += f"您是否要找：{_list_names(cities, 5)}？"
    return CityError(message, [_display(e) for e in cities[:5]])


def _to_match(entry: _Entry, raw: str) -> CityMatch:
    province = _province(entry)
    parent = _parent(entry)
    if entry.kind == "sar":
        raise CityError(f"“{raw}”暂不在支持范围内：目前只支持内地（大陆）的城市。")
    if entry.kind == "province":
        cities = [e for e in _table().cities if e.kind == "prefecture" and _within(e, entry)]
        example = _display(cities[0]) if cities else "安徽省合肥市"
        raise CityError(
            f"“{raw}”是省级行政区，不是城市：请写该省的一个城市，如“{example}”。",
            [_display(e) for e in cities],
        )
    if entry.kind == "xian":
        if parent.kind == "province":
            raise CityError(
                f"“{raw}”是{parent.name}直辖的县级行政区（{entry.name}），不是城市，暂不能单独制定方案；"
                f"请改写{parent.name}的一个城市。"
            )
        raise CityError(
            f"“{raw}”是{_display(parent)}下辖的县级行政区（{entry.name}），不是城市："
            f"可按“{_display(parent)}”制定方案（如该县已撤县设市或设区，也请写所属地级市）。",
            [_display(parent)],
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
    for old, message, successor in _ABOLISHED.values():
        if text in (old, old[:-1]) or text.endswith(old):
            raise CityError(f"{message}：请写“{successor}”。", [successor])
    found = _segment(text, None)
    if not found:
        raise _not_found(raw, text)
    full_only = [(e, full) for e, full in found if full]
    entries = _sorted(dict.fromkeys(e for e, _ in (full_only or found)))
    cities = [e for e in entries if e.kind in _CITY_KINDS]
    if len(entries) == 1:
        return _to_match(entries[0], raw)
    if len(cities) == 1 and all(e is cities[0] or _within(e, cities[0]) for e in entries):
        return _to_match(cities[0], raw)
    if prefer_cities and len(cities) == 1 and cities[0].kind == "prefecture":
        others = [e for e in entries if e is not cities[0] and not _within(e, cities[0])]
        if all(e.kind in ("district", "xian") and _parent(e).kind == "prefecture" for e in others):
            return _to_match(cities[0], raw)
    candidates = [_display(e) for e in entries if e.kind in (*_CITY_KINDS, "district")]
    example = candidates[0] if candidates else _display(entries[0])
    raise CityError(f"“{raw}”有多个匹配：{_list_names(entries)}。请写全称，如“{example}”。", candidates)


def all_city_names() -> list[str]:
    """Every municipality, prefecture-level and county-level city, e.g. "安徽省 合肥市", "江苏省 苏州市 昆山市".

    Sorted by division code (so grouped by province); each string is accepted by :func:`resolve_city`.
    """
    return [_display(e, " ") for e in _table().cities]


def _heads(entry: _Entry) -> set[str]:
    """Names of the places above ``entry`` that may precede it: 安徽, 安徽省, 苏州, 江苏苏州 …"""
    province, parent = _province(entry), _parent(entry)
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
    for entry in _table().cities:
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
        scored.append((rank, _KIND_ORDER[entry.kind], entry.code, _display(entry, " ")))
    scored.sort()
    return [s[-1] for s in scored[:limit]]
