"""对标分析 (issue 16): benchmark regions against each other clause by clause.

Public API, used by the CLI, the web tab, plans (对标借鉴) and diagnoses:

- ``find_measures(retriever, region, topic, *, limit=3, extra=0) -> list[Measure]`` — one region's own
  measures on one topic (region as in corpus front matter: 河南省, 深圳市, 全国); never another region's
  text; ``extra`` more when the region has that many more articles nearly as much about the topic.
- ``peer_measures(retriever, topic, *, exclude_regions, limit=3) -> list[Measure]`` — the strongest
  measures of other provinces/cities (one per region), each labelled with its region.
- ``compare(retriever, regions, topics=None, provider=None) -> Comparison`` — the whole table (3 measures
  a cell, up to 6 where a region has that many strong ones).
- ``resolve_region(name) -> str`` / ``RegionError``, ``DEFAULT_TOPIC_NAMES``, ``TopicError``.
"""

from advisor.compare.build import compare
from advisor.compare.measures import find_measures, peer_measures, region_names
from advisor.compare.regions import RegionError, resolve_region, resolve_regions
from advisor.compare.topics import DEFAULT_TOPIC_NAMES, DEFAULT_TOPICS, Topic, TopicError
from advisor.render.compare_types import EMPTY_CELL, NATIONAL, CompareCell, Comparison, Measure, SummaryPoint

__all__ = [
    "DEFAULT_TOPICS",
    "DEFAULT_TOPIC_NAMES",
    "EMPTY_CELL",
    "NATIONAL",
    "CompareCell",
    "Comparison",
    "Measure",
    "RegionError",
    "SummaryPoint",
    "Topic",
    "TopicError",
    "compare",
    "find_measures",
    "peer_measures",
    "region_names",
    "resolve_region",
    "resolve_regions",
]
