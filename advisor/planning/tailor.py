"""How the city's profile shapes its plan: which topics lead each section, what the recommendations say
about the city's own assets, and the section titles. Two cities with different pillar industries, parks,
universities, compute and funds get different plans from the same evidence.

Which profile fields a topic draws on is data (:data:`TOPIC_FIELDS`); a topic whose fields the city
filled in moves ahead of the others in its section, one the city names as a weakness (短板) or
strength (优势) moves up too, and its recommendation opens with the city's own item ("依托……")."""

from __future__ import annotations

from advisor.planning.profile import CityProfile
from advisor.planning.sections import SectionSpec, Topic

# (section key, topic key) → the profile fields the topic builds on, most specific first
TOPIC_FIELDS: dict[tuple[str, str], tuple[str, ...]] = {
    ("situation", "upgrade"): ("pillar_industries",),
    ("situation", "cluster"): ("parks", "pillar_industries"),
    ("situation", "tech"): ("universities",),
    ("situation", "productivity"): ("pillar_industries",),
    ("strategy", "plan"): ("pillar_industries", "strengths"),
    ("strategy", "regional"): ("strengths", "parks"),
    ("strategy", "model"): ("strengths",),
    ("strategy", "intelligent"): ("pillar_industries",),
    ("strategy", "ai_plus"): ("pillar_industries",),
    ("chain", "focus"): ("parks", "compute"),
    ("chain", "government"): ("compute",),
    ("chain", "energy"): ("compute",),
    ("chain", "hub"): ("compute",),
    ("chain", "compute"): ("compute",),
    ("chain", "compute_local"): ("compute",),
    ("chain", "platform"): ("parks", "universities"),
    ("chain", "application"): ("pillar_industries",),
    ("tasks", "market"): ("pillar_industries",),
    ("tasks", "infrastructure"): ("parks", "compute"),
    ("tasks", "capital"): ("funds",),
    ("tasks", "research"): ("universities",),
    ("tasks", "foresight"): ("strengths", "universities"),
    ("tasks", "chokepoint"): ("pillar_industries",),
    ("tasks", "fund"): ("funds",),
    ("tasks", "service"): ("parks", "universities"),
    ("tasks", "local_support"): ("parks", "funds"),
    ("roles", "government"): ("constraints",),
    ("roles", "supply"): ("parks",),
    ("roles", "demand"): ("pillar_industries",),
    ("roles", "academia"): ("universities",),
    ("roles", "investor"): ("funds",),
    ("safeguards", "organization"): ("constraints",),
    ("roadmap", "near"): ("pillar_industries",),
    ("roadmap", "mid"): ("compute", "parks"),
    ("roadmap", "far"): ("pillar_industries", "parks"),
    ("roadmap", "monitoring"): ("constraints",),
}

# a weakness or strength the city names, and the topics that address it
NEED_WORDS: dict[str, tuple[str, ...]] = {
    "人才": ("research", "academia", "service", "tech"),
    "资金": ("capital", "fund", "investor"),
    "基金": ("capital", "fund", "investor"),
    "投资": ("capital", "fund", "investor"),
    "算力": ("compute", "compute_local", "infrastructure", "energy", "hub"),
    "能源": ("energy", "compute"),
    "数据": ("compute", "platform", "infrastructure"),
    "场景": ("application", "demand", "market"),
    "应用": ("application", "demand", "market"),
    "制造": ("upgrade", "intelligent", "ai_plus", "chokepoint"),
    "科研": ("research", "academia", "foresight"),
    "高校": ("research", "academia"),
    "园区": ("infrastructure", "platform", "supply"),
    "招商": ("capital", "fund", "market"),
}

# (section key, profile field) → the section's title for a city that filled that field in
TITLES: dict[tuple[str, str], str] = {
    ("situation", "pillar_industries"): "形势与机遇：{item}等产业的智能化升级窗口",
    ("strategy", "strengths"): "总体思路与定位：发挥{item}优势",
    ("strategy", "pillar_industries"): "总体思路与定位：以人工智能赋能{item}",
    ("chain", "compute"): "产业链布局：以{item}夯实算力层",
    ("chain", "parks"): "产业链布局：依托{item}集聚产业链",
    ("tasks", "funds"): "重点任务：以{item}撬动产业投资",
    ("tasks", "parks"): "重点任务：以{item}为主要载体",
    ("tasks", "universities"): "重点任务：联合{item}攻关与转化",
    ("roles", "universities"): "角色分工：{item}等学研方协同",
    ("roles", "funds"): "角色分工：政府、企业、学研与{item}协同",
    ("roadmap", "constraints"): "推进步骤与指标：先补{item}短板",
    ("safeguards", "constraints"): "保障措施与安全合规：针对{item}强化保障",
}


def _items(profile: CityProfile | None, field: str) -> list[str]:
    return list(getattr(profile, field, []) or []) if profile is not None else []


def fields_of(spec: SectionSpec, topic: Topic) -> tuple[str, ...]:
    return TOPIC_FIELDS.get((spec.key, topic.key), ())


def needs(profile: CityProfile | None) -> set[str]:
    """Topic keys the city's named weaknesses and strengths call for."""
    said = "、".join(_items(profile, "constraints") + _items(profile, "strengths"))
    return {t for word, topics in NEED_WORDS.items() if word in said for t in topics}


def topic_order(spec: SectionSpec, profile: CityProfile | None) -> list[Topic]:
    """The section's topics, those the profile speaks to first (stable otherwise): the city's own
    assets (filled fields) count two, a named weakness or strength one."""
    wanted = needs(profile)

    def weight(topic: Topic) -> int:
        filled = sum(2 for f in fields_of(spec, topic) if _items(profile, f))
        return filled + (1 if topic.key in wanted else 0)

    return sorted(spec.topics, key=lambda t: -weight(t))


def lead(spec: SectionSpec, topic: Topic, profile: CityProfile | None, has_action: bool) -> str:
    """The opening that ties a recommendation to the city's own asset, "" without one; for an action it
    is "依托……，", for a bare title "结合本市……推进。"."""
    for field in fields_of(spec, topic):
        items = _items(profile, field)
        if not items:
            continue
        named = "、".join(items[:2])
        if field == "constraints":
            return f"针对{named}的短板，" if has_action else f"针对本市{named}的短板推进。"
        if field == "strengths":
            return f"发挥{named}的优势，" if has_action else f"发挥本市{named}的优势推进。"
        return f"依托{named}，" if has_action else f"结合本市{named}推进。"
    return ""


def section_title(spec: SectionSpec, profile: CityProfile | None) -> str:
    """The section's title: its base title, or a variant naming the city's leading asset for that section."""
    for (key, field), template in TITLES.items():
        if key == spec.key:
            items = _items(profile, field)
            if items:
                return template.format(item=items[0])
    return spec.title


__all__ = ["TOPIC_FIELDS", "fields_of", "lead", "needs", "section_title", "topic_order"]
