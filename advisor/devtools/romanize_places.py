"""Writes ``advisor/places/romanized.tsv``: the romanized names of China's provinces and prefecture-level
cities (Hefei, Xi'an, Shaanxi), so an English question that names a place is held to passages about it.

Run once, where pypinyin is installed (``pip install pypinyin``; a development tool, not a dependency):
``python -m advisor.devtools.romanize_places``. The product only reads the file it writes.
"""

from __future__ import annotations

from pathlib import Path

from advisor.places.regions import table

OUT = Path(__file__).resolve().parents[1] / "places" / "romanized.tsv"
_KINDS = ("province", "sar", "municipality", "prefecture")
# where pypinyin reads a place name's character the other way (长治 is Changzhi, not Zhangzhi)
_READINGS = {"长治": "chang zhi", "昌都": "chang du", "朝阳": "chao yang", "漯河": "luo he"}
_SKIP = {"阿里"}  # Ali is a person's or a company's name far more often than 阿里地区
# English names that are not the pinyin of the short name
_CONVENTIONAL = {
    "陕西": ["Shaanxi"],
    "西藏": ["Tibet", "Xizang"],
    "内蒙古": ["Inner Mongolia", "Nei Mongol"],
    "香港": ["Hong Kong"],
    "澳门": ["Macau", "Macao"],
    "哈尔滨": ["Harbin"],
    "呼和浩特": ["Hohhot"],
    "乌鲁木齐": ["Urumqi"],
    "拉萨": ["Lhasa"],
    "喀什": ["Kashgar", "Kashi"],
    "日喀则": ["Shigatse"],
}


def romanize(syllables: list[str]) -> str:
    """Hanyu pinyin of a place name, written as a word: Xi'an (an apostrophe before a vowel syllable)."""
    out = ""
    for i, s in enumerate(syllables):
        out += ("'" if i and s[:1] in "aeo" else "") + s
    return out.capitalize()


def rows() -> list[tuple[str, str]]:
    from pypinyin import lazy_pinyin

    found: set[tuple[str, str]] = set()
    for entry in table().entries.values():
        if entry.kind not in _KINDS:
            continue
        short = entry.shorts[0] if entry.shorts else entry.name
        if short in _SKIP:
            continue
        if short == "陕西":
            names = list(_CONVENTIONAL[short])
        else:
            reading = _READINGS.get(short)
            names = [romanize(reading.split() if reading else lazy_pinyin(short))]
            names += _CONVENTIONAL.get(short, [])
        found.update((n, entry.name) for n in names)
    return sorted(found)


def main() -> None:
    OUT.write_text("".join(f"{en}\t{zh}\n" for en, zh in rows()), encoding="utf-8")
    print(f"{OUT}: {len(rows())} names")


if __name__ == "__main__":
    main()
