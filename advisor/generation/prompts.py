"""Prompt templates from ``prompts/``: front matter declares the variables; checked at load."""

from __future__ import annotations

import string
from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict

from advisor.resources import PROMPTS_DIR


class PromptError(ValueError):
    """A template whose placeholders do not match its declared variables."""


class Prompt(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    variables: tuple[str, ...]
    template: str
    description: str = ""

    def render(self, **values: object) -> str:
        missing = set(self.variables) - set(values)
        extra = set(values) - set(self.variables)
        if missing or extra:
            raise PromptError(f"提示词 {self.name}: 缺少变量 {sorted(missing)}，多余变量 {sorted(extra)}")
        return self.template.format(**{k: str(v) for k, v in values.items()})


def parse_prompt(name: str, raw: str) -> Prompt:
    if not raw.startswith("---\n") or "\n---\n" not in raw[4:]:
        raise PromptError(f"提示词 {name} 缺少 front matter（--- variables: [...] ---）")
    head, body = raw[4:].split("\n---\n", 1)
    meta = yaml.safe_load(head) or {}
    declared = tuple(meta.get("variables") or ())
    used = {field for _, field, _, _ in string.Formatter().parse(body) if field is not None}
    if any(not f.isidentifier() for f in used):
        raise PromptError(f"提示词 {name} 含非法占位符 {sorted(used)}；字面花括号请写成 {{{{ }}}}")
    if set(declared) != used:
        raise PromptError(
            f"提示词 {name}: 声明的变量 {sorted(declared)} 与模板中使用的 {sorted(used)} 不一致"
        )
    return Prompt(
        name=name, variables=declared, template=body.strip(), description=meta.get("description", "")
    )


@cache
def load_prompt(name: str, directory: Path = PROMPTS_DIR) -> Prompt:
    path = directory / f"{name}.md"
    if not path.is_file():
        raise PromptError(f"找不到提示词文件 {path}")
    return parse_prompt(name, path.read_text(encoding="utf-8"))


def refusal_phrase() -> str:
    """The one refusal sentence shared by prompts, code and tests."""
    return load_prompt("refusal").template


def system_prompt() -> str:
    """The system prompt every generation (answers, plan sections) starts with — one text, so a local
    model's cached prefix serves them all."""
    return load_prompt("system").render(refusal=refusal_phrase())
