"""China's administrative divisions as one table (the ``cpca`` package's adcode list, patched for the
prefecture-level changes since it was made): entries with their kind, parent and short forms."""

from __future__ import annotations

import csv
import functools
import importlib.util
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Kind = Literal["province", "sar", "municipality", "prefecture", "county", "district", "xian"]
CITY_KINDS = ("municipality", "prefecture", "county")
KIND_ORDER = {
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
PROVINCE_SHORT = {
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
ABOLISHED = {
    "371200": ("莱芜市", "莱芜市已于2019年撤销，原辖区域划归济南市（今济南市莱芜区、钢城区）", "山东省济南市")
}


@dataclass(frozen=True, slots=True)
class Entry:
    code: str  # six digits, used for the hierarchy
    adcode: str  # six digits, public (differs from code only for patched rows)
    name: str
    shorts: tuple[str, ...]
    kind: Kind

    @property
    def short(self) -> str:
        return self.shorts[0] if self.shorts else self.name


@dataclass(frozen=True, slots=True)
class Table:
    entries: dict[str, Entry]
    aliases: dict[str, tuple[tuple[Entry, bool], ...]]  # alias -> (entry, alias is the full name)
    cities: tuple[Entry, ...]  # municipalities, prefectures and county-level cities, by code


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


def _short_forms(name: str, kind: Kind, nations: Sequence[str]) -> tuple[str, ...]:
    """Short names, best first; each at least two characters."""
    forms: list[str] = []
    if kind in ("province", "municipality", "sar"):
        if name in PROVINCE_SHORT:
            forms.append(PROVINCE_SHORT[name])
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


def _kind_of(code: str, name: str) -> Kind | None:
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
def table() -> Table:
    csv_path = _adcodes_csv()
    nations = _nation_suffixes(csv_path)
    entries: dict[str, Entry] = {}
    with csv_path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            code, name = (row.get("adcode") or "")[:6], (row.get("name") or "").strip()
            if len(code) != 6 or not code.isdigit() or not name or code in ABOLISHED:
                continue
            adcode = code
            if code in _RENAMED:
                name, adcode = _RENAMED[code]
            elif code in _MOVED:
                name, code = _MOVED[code]
                adcode = code
            kind = _kind_of(code, name)
            if kind is not None:
                entries[code] = Entry(code, adcode, name, _short_forms(name, kind, nations), kind)
    aliases: dict[str, list[tuple[Entry, bool]]] = {}
    for entry in entries.values():
        aliases.setdefault(entry.name, []).append((entry, True))
        for short in entry.shorts:
            aliases.setdefault(short, []).append((entry, False))
    cities = tuple(sorted((e for e in entries.values() if e.kind in CITY_KINDS), key=lambda e: e.code))
    return Table(entries, {k: tuple(v) for k, v in aliases.items()}, cities)


def province_of(entry: Entry) -> Entry:
    return table().entries[entry.code[:2] + "0000"]


def parent_of(entry: Entry) -> Entry:
    """The prefecture-level unit (or municipality / province when directly administered) above it."""
    entries = table().entries
    if entry.kind in ("county", "district", "xian"):
        prefecture = entries.get(entry.code[:4] + "00")
        if prefecture is not None and prefecture.kind == "prefecture":
            return prefecture
    return province_of(entry)


def within(entry: Entry, ancestor: Entry) -> bool:
    if entry.code == ancestor.code:
        return False
    if ancestor.kind in ("province", "municipality", "sar"):
        return entry.code[:2] == ancestor.code[:2]
    if ancestor.kind == "prefecture":
        return entry.code[:4] == ancestor.code[:4]
    return False


def display_name(entry: Entry, sep: str = "") -> str:
    """安徽省合肥市, 北京市, 北京市朝阳区, 江苏省苏州市昆山市 (with ``sep`` between the parts)."""
    parts = [province_of(entry).name]
    for part in (parent_of(entry).name, entry.name):
        if part != parts[-1]:
            parts.append(part)
    return sep.join(parts)


# --------------------------------------------------------------------------- resolution
