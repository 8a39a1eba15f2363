"""What every section of a plan needs about the place and the corpus: the city's subject line, which
documents it may cite (national, the report, its own region's — never another region's rules), and
scoped retrieval over them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from advisor.places.cities import CityMatch, resolve_city
from advisor.planning.profile import CityProfile
from advisor.planning.sections import INDICATORS, MACRO_REGIONS, SectionSpec, Topic
from advisor.retrieval.hybrid import FilterError, Mode, Retriever
from advisor.types import Hit

REPORT_LEVEL = "think-tank"


@dataclass
class PlanContext:
    """What every section needs about the place, the profile and the corpus."""

    place: CityMatch
    subject: str  # 合肥市（安徽省）
    profile: CityProfile | None
    local_docs: list[str]  # doc_ids of the city's / province's own documents
    report_docs: list[str]
    allowed: list[str]  # national, report and own-region documents (not other regions' rules)
    used: set[str] = field(default_factory=set)  # squashed sentences cited so far (no quote twice)
    noted: set[str] = field(default_factory=set)  # 待补充 notes already listed (each once)
    cited_docs: set[str] = field(default_factory=set)  # documents the plan cites so far

    def fill(self, template: str, doc: str = "") -> str:
        p = self.place
        return template.format(
            city=p.name, short=p.short, province=p.province, province_short=p.province_short, doc=doc
        )


def subject_of(place: CityMatch) -> str:
    if place.level == "municipality":
        return f"{place.name}（直辖市）"
    if place.level == "county":
        if place.prefecture == place.name:
            return f"{place.name}（{place.province}直管县级市）"
        return f"{place.name}（{place.province}{place.prefecture}所辖县级市）"
    return f"{place.name}（{place.province}）"


def parent_city(match: CityMatch) -> CityMatch:
    name = match.prefecture if match.province == match.prefecture else f"{match.province}{match.prefecture}"
    return resolve_city(name, prefer_cities=True)


def local_docs(lib: Retriever, place: CityMatch) -> list[str]:
    regions = {place.name, place.prefecture, place.province}
    return [
        doc_id
        for doc_id, meta in lib.snapshot.docs.items()
        if meta.region in regions and meta.level not in ("national", REPORT_LEVEL)
    ]


def allowed_docs(lib: Retriever, place: CityMatch) -> list[str]:
    """Documents that may ground this city's plan: all but other regions' local rules."""
    regions = {place.name, place.prefecture, place.province, "", "全国"}
    return [doc_id for doc_id, meta in lib.snapshot.docs.items() if meta.region in regions]


def region_names(place: CityMatch) -> list[str]:
    short = place.province_short
    return [place.province, short, *(m for m, provinces in MACRO_REGIONS.items() if short in provinces)]


def search(
    lib: Retriever, query: str, k: int, filters: dict[str, Any] | None = None, mode: Mode = "hybrid"
) -> list[Hit]:
    try:
        return lib.retrieve(query, k=k, filters=filters, mode=mode)
    except FilterError:
        return []


def scope_filters(lib: Retriever, ctx: PlanContext, topic: Topic) -> dict[str, Any] | None:
    if topic.scope == "report":
        return {"doc_id": ctx.report_docs} if ctx.report_docs else None
    if topic.scope == "local":
        return {"doc_id": ctx.local_docs}
    if topic.scope in ("national", "region_mention"):
        docs = lib.snapshot.docs
        if topic.doc_hint:
            ids = [d for d, m in docs.items() if topic.doc_hint in m.title]
            if ids:
                return {"doc_id": ids}
        return {"doc_id": [d for d in ctx.allowed if docs[d].level == "national"]}
    return {"doc_id": ctx.allowed}


def in_scope(hit: Hit, filters: dict[str, Any] | None) -> bool:
    if not filters:
        return True
    for key, value in filters.items():
        allowed = {str(v) for v in value} if isinstance(value, list | tuple | set) else {str(value)}
        have = hit.doc_id if key == "doc_id" else str(hit.meta.get(key, ""))
        if have not in allowed:
            return False
    return True


def merge_hits(*lists: list[Hit]) -> list[Hit]:
    """Hits of several retrievals, one per chunk (its best score), best first; equal scores keep the
    order in which the chunks first appear (list by list, rank by rank)."""
    seen: dict[str, Hit] = {}
    first: dict[str, int] = {}
    for hits in lists:
        for h in hits:
            first.setdefault(h.chunk_id, len(first))
            if h.chunk_id not in seen or h.score > seen[h.chunk_id].score:
                seen[h.chunk_id] = h
    return sorted(seen.values(), key=lambda h: (-h.score, first[h.chunk_id]))


def template_summary(ctx: PlanContext, spec: SectionSpec) -> str:
    return spec.summary.format(subject=ctx.subject, indicators="、".join(INDICATORS))
