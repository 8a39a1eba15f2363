"""Plain text for the terminal (the CLI and the setup script)."""

from __future__ import annotations

from advisor.types import IngestReport


def ingest_summary(report: IngestReport) -> str:
    """What an ingest did: counts on one line, then one line per skipped file with the reason."""
    lines = [
        f"新增 {len(report.added)}，更新 {len(report.updated)}，未变 {len(report.unchanged)}，"
        f"删除 {len(report.removed)}，跳过 {len(report.skipped)}；"
        f"索引共 {report.chunks_total} 块，本次嵌入 {report.chunks_embedded} 块；"
        f"用时 {report.seconds:.2f}s（嵌入 {report.embed_seconds:.2f}s）",
    ]
    lines += [f"  跳过 {s.path}：{s.reason}" for s in report.skipped]
    return "\n".join(lines)
