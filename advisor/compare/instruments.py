"""Broad policy terms and the instruments the texts name under them (``instruments.yaml``): 税收优惠 is
what an official types; the articles grant 加计扣除 or 免征企业所得税 without saying 税收优惠."""

from __future__ import annotations

from functools import cache
from importlib import resources

import yaml


@cache
def _table() -> dict[str, tuple[str, ...]]:
    raw = yaml.safe_load(resources.files("advisor.compare").joinpath("instruments.yaml").read_text("utf-8"))
    return {str(k): tuple(str(v) for v in vs) for k, vs in (raw.get("instruments") or {}).items()}


def instruments(phrases: list[str]) -> list[str]:
    """The instruments under each broad term the phrases hold: an article granting one is about the
    topic without saying its name."""
    found = [w for p in phrases for key, ws in _table().items() if key in p for w in ws]
    return list(dict.fromkeys(w for w in found if w not in phrases))
