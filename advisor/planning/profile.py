"""City profiles: local facts about a city that the policy corpus cannot know (all optional).

A city profile is a small YAML or JSON file of local facts the corpus cannot know.
Chinese keys are accepted, and a string where a list is expected is split on 、，,;； or newlines::

    支柱产业: 新型显示、集成电路、新能源汽车
    高校:
      - 中国科学技术大学
      - 合肥工业大学
    算力: 合肥先进计算中心
    园区: [中国声谷, 合肥高新区]
    基金: 合肥市天使投资基金
    优势: 量子信息与语音产业集聚
    短板: 高端人才外流
    备注: 2024 年数据，待市发改委核实
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

MAX_PROFILE_BYTES = 1_000_000


@dataclass(frozen=True)
class ProfileField:
    """One fact field: its label (plans, the web form, messages), a form hint, and the plan's 待补充 note
    when it is empty."""

    name: str
    label: str
    hint: str
    missing: str


PROFILE_FIELDS = (
    ProfileField("pillar_industries", "支柱产业", "如：新型显示、集成电路、新能源汽车",
                 "待补充：本市支柱产业及其规模（主要产业、产值、龙头企业）"),
    ProfileField("universities", "高校与科研院所", "如：中国科学技术大学、合肥工业大学",
                 "待补充：本市高校与科研院所（尤其是人工智能、计算机相关学科和重点实验室）"),
    ProfileField("compute", "现有算力", "如：合肥先进计算中心（智算 100P）",
                 "待补充：本市现有算力规模（智算中心、数据中心及其算力）"),
    ProfileField("parks", "产业园区", "如：中国声谷、高新区人工智能产业园",
                 "待补充：本市产业园区（可承载人工智能企业的园区、空间与政策）"),
    ProfileField("funds", "产业基金", "如：市天使投资基金、产业引导基金",
                 "待补充：本市产业基金（政府引导基金的规模与投向）"),
    ProfileField("strengths", "比较优势", "如：科教资源密集、国资引投经验",
                 "待补充：本市发展人工智能产业的比较优势"),
    ProfileField("constraints", "短板与约束", "如：高端人才不足、数据开放程度低",
                 "待补充：本市面临的短板与约束（人才、资金、能源、数据等）"),
)  # fmt: skip
PROFILE_LABELS = {f.name: f.label for f in PROFILE_FIELDS}


class ProfileError(ValueError):
    """A city profile file or mapping that cannot be read; the message says what to fix."""


class CityProfile(BaseModel):
    """Local facts about a city that the policy corpus cannot know; all optional."""

    model_config = ConfigDict(extra="forbid")

    pillar_industries: list[str] = Field(
        default_factory=list, description="支柱产业 / pillar industries, e.g. 新型显示、集成电路."
    )
    universities: list[str] = Field(
        default_factory=list, description="高校与科研院所 / universities and institutes."
    )
    compute: list[str] = Field(
        default_factory=list, description="现有算力/数据中心 / existing compute: 智算中心、数据中心及其规模."
    )
    parks: list[str] = Field(default_factory=list, description="产业园区 / industrial parks.")
    funds: list[str] = Field(default_factory=list, description="产业基金 / industry and guidance funds.")
    strengths: list[str] = Field(default_factory=list, description="优势 / comparative strengths.")
    constraints: list[str] = Field(
        default_factory=list, description="短板/约束 / weaknesses and constraints."
    )
    notes: str = Field(default="", description="备注 / free-text notes, e.g. data year and source.")


_KEY_ALIASES: dict[str, str] = {
    "支柱产业": "pillar_industries",
    "主导产业": "pillar_industries",
    "高校": "universities",
    "高校与科研院所": "universities",
    "高校院所": "universities",
    "科研院所": "universities",
    "算力": "compute",
    "现有算力": "compute",
    "算力/数据中心": "compute",
    "数据中心": "compute",
    "园区": "parks",
    "产业园区": "parks",
    "基金": "funds",
    "产业基金": "funds",
    "优势": "strengths",
    "比较优势": "strengths",
    "短板": "constraints",
    "约束": "constraints",
    "短板/约束": "constraints",
    "短板与约束": "constraints",
    "备注": "notes",
}
_SPLIT = re.compile(r"[、，,;；\n]+")


def _allowed_keys() -> str:
    english = "、".join(CityProfile.model_fields)
    chinese = "、".join(_KEY_ALIASES)
    return f"{chinese}；或英文 {english}"


def _as_items(field: str, value: Any) -> list[str]:
    label = PROFILE_LABELS.get(field, "备注")
    if value is None:
        return []
    raw: list[Any] = [value] if isinstance(value, (str, int, float)) else value
    if not isinstance(raw, list):
        raise ProfileError(f"城市概况的“{label}”应为列表或用顿号分隔的文字，而不是 {type(value).__name__}。")
    items: list[str] = []
    for item in raw:
        if isinstance(item, bool) or not isinstance(item, (str, int, float)):
            raise ProfileError(f"城市概况的“{label}”每一项都应为文字，“{item!r}”不是。")
        items += [part.strip() for part in _SPLIT.split(str(item)) if part.strip()]
    return list(dict.fromkeys(items))


def profile_from_dict(d: dict[str, Any]) -> CityProfile:
    """Build a profile from a mapping with English or Chinese keys; raise :class:`ProfileError` if invalid."""
    if not isinstance(d, dict):
        raise ProfileError(
            f"城市概况应为“键: 值”的映射（如“支柱产业: 新能源汽车、集成电路”），而不是 {type(d).__name__}。"
        )
    values: dict[str, Any] = {}
    seen: dict[str, str] = {}
    for key, value in d.items():
        name = str(key).strip()
        field = _KEY_ALIASES.get(name) or (name.lower() if name.lower() in CityProfile.model_fields else None)
        if field is None:
            raise ProfileError(f"城市概况中有未知字段“{name}”。可用字段：{_allowed_keys()}。")
        if field in seen:
            raise ProfileError(f"城市概况中“{seen[field]}”与“{name}”是同一字段，请合并为一项。")
        seen[field] = name
        if field == "notes":
            if isinstance(value, list):
                value = "；".join(str(v).strip() for v in value if v is not None and str(v).strip())
            elif value is None:
                value = ""
            elif isinstance(value, (dict, bool)):
                raise ProfileError("城市概况的“备注”应为文字。")
            values[field] = str(value).strip()
        else:
            values[field] = _as_items(field, value)
    try:
        return CityProfile(**values)
    except ValidationError as exc:  # pragma: no cover - values are normalized above
        raise ProfileError(f"城市概况无效：{exc}") from exc


def load_profile(path: str | Path) -> CityProfile:
    """Read a city profile from a YAML or JSON file (English or Chinese keys)."""
    file = Path(path).expanduser()
    if not file.is_file():
        raise ProfileError(f"找不到城市概况文件：{file}（应为 .yaml 或 .json 文件）。")
    if file.stat().st_size > MAX_PROFILE_BYTES:
        raise ProfileError(f"城市概况文件过大：{file}（上限 {MAX_PROFILE_BYTES // 1000} KB）。")
    try:
        text = file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ProfileError(f"城市概况文件 {file} 不是 UTF-8 编码：请另存为 UTF-8 后重试。") from exc
    try:
        data = json.loads(text) if file.suffix.lower() == ".json" else yaml.safe_load(text)
    except json.JSONDecodeError as exc:
        raise ProfileError(f"城市概况文件 {file} 不是有效的 JSON（第 {exc.lineno} 行：{exc.msg}）。") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第 {mark.line + 1} 行" if mark is not None else "格式错误"
        problem = getattr(exc, "problem", None) or ""
        raise ProfileError(
            f"城市概况文件 {file} 不是有效的 YAML（{where}{'：' + problem if problem else ''}）。"
            "请检查冒号、缩进和引号，如“支柱产业: 新能源汽车、集成电路”。"
        ) from exc
    if data is None:
        return CityProfile()
    try:
        return profile_from_dict(data)
    except ProfileError as exc:
        raise ProfileError(f"{file}：{exc}") from exc


def missing_facts(profile: CityProfile | None) -> list[str]:
    """One "待补充：…" note per empty fact field (``notes`` excluded), for a plan's notes."""
    return [f.missing for f in PROFILE_FIELDS if profile is None or not getattr(profile, f.name)]


def profile_sentence(profile: CityProfile | None, fields: Sequence[str] | None = None) -> str:
    """The profile's facts as one sentence marked as the city's own (「据本市提供的概况」)."""
    if profile is None:
        return ""
    names = fields if fields is not None else list(PROFILE_LABELS)
    parts = [f"{PROFILE_LABELS[f]}：{'、'.join(getattr(profile, f))}" for f in names if getattr(profile, f)]
    return f"据本市提供的概况——{'；'.join(parts)}。" if parts else ""


def profile_texts(profile: CityProfile | None) -> list[str]:
    """Every fact of the profile, for checking that a number came from the user."""
    if profile is None:
        return []
    return [*(v for f in PROFILE_LABELS for v in getattr(profile, f)), profile.notes]
