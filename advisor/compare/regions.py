"""Regions of a comparison: provinces, cities or the national level, resolved to the names the corpus
front matter uses (河南省, 深圳市, 北京市, 全国). Ambiguity is an error listing the candidates — a
comparison column must be one place, never a guess."""

from __future__ import annotations

import re
from collections.abc import Sequence

from advisor.places.cities import CityError, resolve_city
from advisor.places.regions import display_name, table
from advisor.render.compare_types import NATIONAL

MAX_REGIONS = 8
_NATIONAL_NAMES = {"全国", "国家", "中央", "国家级", "national", "china", "中国", "全国性"}


class RegionError(ValueError):
    """A region that is empty, unknown or ambiguous; ``candidates`` lists what the user may mean."""

    def __init__(self, message: str, candidates: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.candidates = list(candidates)


def resolve_region(name: str) -> str:
    """One region name as the corpus writes it: 河南/河南省 → 河南省, 深圳 → 深圳市, 全国 → 全国."""
    text = re.sub(r"[\s\u3000]+", "", str(name or ""))
    if not text:
        raise RegionError("请填写地区，如“河南省”“深圳”或“全国”。")
    if text.lower() in _NATIONAL_NAMES:
        return NATIONAL
    entries = [e for e, _ in table().aliases.get(text, ())]
    provinces = [e for e in entries if e.kind == "province"]
    if provinces:
        # a province beats same-named counties and districts (河南 ≠ 河南蒙古族自治县), not a city (吉林)
        others = [e for e in entries if e.kind in ("municipality", "prefecture", "county")]
        if not others:
            return provinces[0].name
        names = [display_name(e) for e in (*provinces, *others)]
        raise RegionError(
            f"“{text}”有多个匹配：{'、'.join(names)}。请写全称，如“{names[0]}”或“{names[1]}”。", names
        )
    try:
        match = resolve_city(text, prefer_cities=True)
    except CityError as exc:
        raise RegionError(str(exc).replace("城市", "地区"), exc.candidates) from exc
    return match.name if match.level != "district" else match.prefecture


def resolve_regions(names: Sequence[str]) -> list[str]:
    """Several regions, in the order given, duplicates dropped; at least one, at most MAX_REGIONS."""
    parts = [p for n in names for p in re.split(r"[,，、;；\s]+", str(n or "")) if p]
    if not parts:
        raise RegionError("请至少填写一个地区，如“深圳 北京 上海”。")
    resolved = list(dict.fromkeys(resolve_region(p) for p in parts))
    if len(resolved) > MAX_REGIONS:
        raise RegionError(f"地区过多（{len(resolved)} 个）：一次最多比较 {MAX_REGIONS} 个地区。")
    return resolved
