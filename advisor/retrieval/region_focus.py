"""A question about one place is about that place's texts. "深圳那部数据条例里……" is not answered by
浙江's 条例 because both speak of personal data: when a question names one region the corpus has texts
of, passages of other regions' texts go behind the rest (national texts stay where they rank; a city's
province and a province's cities are the same place here: 杭州 is governed by 浙江's 条例)."""

from __future__ import annotations

import re
from functools import cache

from advisor.index.keyword import tokenize
from advisor.index.snapshot import Snapshot
from advisor.places.regions import Entry, province_of, table
from advisor.retrieval.doc_names import EN_KINDS, KINDS, document_names, names_document, stands_for
from advisor.retrieval.glossary import translate_terms
from advisor.retrieval.places_named import places_in

NATIONAL = "全国"
_A_TEXT = re.compile(rf"(?:{KINDS})|\b(?:{EN_KINDS}|guide(?:lines)?)\b", re.I)
_ORGANISATION = re.compile(
    r"[\u4e00-\u9fff]{2,30}?(?:有限公司|有限责任公司|股份公司|集团|大学|学院|研究院|研究所|交易所|银行)"
)


@cache
def _entry(name: str) -> Entry | None:
    """The province or city a corpus region name (浙江省, 杭州市) stands for."""
    for entry, full in table().aliases.get(name, ()):
        if full and entry.kind in ("province", "municipality", "prefecture", "county", "sar"):
            return entry
    return None


def _related(a: Entry, b: Entry) -> bool:
    """One place, or one inside the other's province (杭州市 and 浙江省)."""
    return a.code == b.code or province_of(a).code == b.code or province_of(b).code == a.code


def named_region_docs(question: str, snapshot: Snapshot) -> set[str] | None:
    """The regions (as the corpus front matter writes them) of the one place the question names, with
    its province or cities; None when it names none the corpus has texts of, two unrelated ones, or a
    text of another region by its title."""
    regions = {m.region for m in snapshot.docs.values() if m.region and m.region != NATIONAL}
    entries = {r: e for r in regions if (e := _entry(r)) is not None}
    # a place opening the name of a company or an institution (北京…科技服务有限公司, 上海证券交易所) is
    # where that body sits, not the region asked about
    bare = _ORGANISATION.sub("", question)
    named = [e for names in places_in(bare).values() if (e := _entry(names[0])) is not None]
    named = named or [e for r in _titled_regions(question, snapshot) if (e := _entry(r)) is not None]
    if not named or any(not _related(a, b) for a in named for b in named):
        return None
    mine = {r for r, e in entries.items() if any(_related(e, n) for n in named)}
    if not mine:
        return None
    # a text of another region named by its title: the question compares (a short name that stands for a
    # text of the place named too — 深圳…数据条例 for 上海's and 深圳's — names the place's own)
    own = [m.title for m in snapshot.docs.values() if m.region in mine]
    names = document_names(question)
    if any(
        m.region not in mine
        and m.region != NATIONAL
        and names_document(question, m.title)
        and not any(stands_for(n, m.title) and any(stands_for(n, t) for t in own) for n in names)
        for m in snapshot.docs.values()
    ):
        return None
    return mine


def _titled_regions(question: str, snapshot: Snapshot) -> set[str]:
    """The regions of the regional texts a question names by a word only one title has (郑洛新, 智慧经济,
    autonomous vehicle → 自动驾驶) and a kind of text, or a word no other text writes, when it names no
    place: a question naming the Zhengluoxin zone's regulations asks about 河南's text although it names
    no province."""
    words = [w for w in tokenize(question) if len(w) >= 3] + translate_terms(question)
    # … a text, or a word no other text writes: 信息化 or 自主创新 alone names no text (张江…示范区)
    texts = bool(_A_TEXT.search(question))
    alone = 1.0 / max(1, len(snapshot.docs))
    titled = {m.region for m in snapshot.docs.values() if m.region and m.region != NATIONAL}
    out: set[str] = set()
    for w in dict.fromkeys(words):
        having = [m for m in snapshot.docs.values() if w in m.title]
        if len(having) != 1 or having[0].region not in titled:
            continue
        if texts or snapshot.keyword.document_share(w) <= alone:  # (a scan of every chunk: only for these)
            out.add(having[0].region)
    return out


def own_region_first(
    question: str, fused: list[tuple[str, float]], snapshot: Snapshot
) -> list[tuple[str, float]]:
    """``fused`` with the chunks of other regions' texts moved behind the rest, when the question names
    one region and a chunk of its texts is among them."""
    mine = named_region_docs(question, snapshot)
    if not mine:
        return fused

    def other(cid: str) -> bool:
        region = snapshot.docs[snapshot.chunks[cid].doc_id].region
        return bool(region) and region != NATIONAL and region not in mine

    if not any(snapshot.docs[snapshot.chunks[cid].doc_id].region in mine for cid, _ in fused):
        return fused
    return [x for x in fused if not other(x[0])] + [x for x in fused if other(x[0])]
