"""Web login: password hashes, the users file, the Gradio auth callable, and `serve` refusing an open
non-loopback bind."""

from __future__ import annotations

import os
import socket
import stat
from pathlib import Path

import httpx
import pytest

from advisor.service import Advisor
from advisor.settings import Settings
from advisor.web import auth
from advisor.web.app import build_app, is_loopback, launch_options, serve

FAST = 1_000  # iterations for tests that do not care about strength


def test_hash_format_and_verify() -> None:
    encoded = auth.hash_password("正确的密码 horse", iterations=FAST)
    scheme, iterations, salt, digest = encoded.split("$")
    assert scheme == "pbkdf2_sha256" and iterations == str(FAST)
    assert len(salt) == 24 and len(digest) == 44  # 16-byte salt, 32-byte hash, base64
    users = {"alice": encoded}
    assert auth.verify("alice", "正确的密码 horse", users)
    assert not auth.verify("alice", "正确的密码 horsE", users)
    assert not auth.verify("bob", "正确的密码 horse", users)
    assert not auth.verify("alice", "", users)


def test_default_strength() -> None:
    assert auth.hash_password("x" * 8).split("$")[1] == str(auth.ITERATIONS) and auth.ITERATIONS >= 600_000


def test_salts_differ() -> None:
    assert auth.hash_password("same-password", iterations=FAST) != auth.hash_password(
        "same-password", iterations=FAST
    )


@pytest.mark.parametrize(
    "encoded",
    [
        "",
        "plaintext",
        "md5$1$a$b",
        "pbkdf2_sha256$abc$AAAA$AAAA",
        "pbkdf2_sha256$1000$!!$AAAA",
        "pbkdf2_sha256$10$AAAA$AAAA",
    ],
)
def test_malformed_hashes_never_match(encoded: str) -> None:
    assert not auth.check_password("anything", encoded)


def test_add_user_and_load(tmp_path: Path) -> None:
    path = tmp_path / "conf" / "users"
    auth.add_user(path, "zhang.san", "first-password")
    auth.add_user(path, "李四", "second-password")
    auth.add_user(path, "zhang.san", "changed-password")  # replaces, not duplicates
    users = auth.load_users(path)
    assert set(users) == {"zhang.san", "李四"}
    assert auth.verify("zhang.san", "changed-password", users)
    assert not auth.verify("zhang.san", "first-password", users)
    text = path.read_text(encoding="utf-8")
    assert "password" not in text and text.count("zhang.san:") == 1
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


@pytest.mark.parametrize(
    ("name", "password"),
    [("a:b", "long-enough"), ("has space", "long-enough"), ("", "long-enough"), ("ok", "short")],
)
def test_add_user_refuses_bad_input(tmp_path: Path, name: str, password: str) -> None:
    with pytest.raises(auth.AuthError):
        auth.add_user(tmp_path / "users", name, password)


def test_load_users_errors_do_not_echo_the_line(tmp_path: Path) -> None:
    path = tmp_path / "users"
    path.write_text("# comment\n\nalice:my-plain-secret\n", encoding="utf-8")
    with pytest.raises(auth.AuthError, match="第 3 行格式错误") as err:
        auth.load_users(path)
    assert "my-plain-secret" not in str(err.value)
    with pytest.raises(auth.AuthError, match="找不到用户文件"):
        auth.load_users(tmp_path / "missing")


def test_authenticator_reloads_and_locks_out(tmp_path: Path) -> None:
    path = tmp_path / "users"
    path.write_text(f"alice:{auth.hash_password('alice-password', iterations=FAST)}\n", encoding="utf-8")
    check = auth.Authenticator(path, max_failures=3, lockout_s=60)
    assert check("alice", "alice-password")
    assert not check("bob", "bob-password")
    with path.open("a", encoding="utf-8") as f:  # a user added while the server runs
        f.write(f"bob:{auth.hash_password('bob-password', iterations=FAST)}\n")
    os.utime(path, (1, 1))  # make sure the change is visible even within one mtime tick
    assert check("bob", "bob-password")
    for _ in range(3):
        assert not check("alice", "wrong")
    assert not check("alice", "alice-password")  # locked out for a while
    assert check("bob", "bob-password")  # other users are unaffected


def test_auth_fn_fails_fast_on_bad_file(tmp_path: Path) -> None:
    with pytest.raises(auth.AuthError):
        auth.auth_fn(tmp_path / "nope")


@pytest.mark.parametrize(
    ("host", "expected"),
    [("127.0.0.1", True), ("localhost", True), ("::1", True), ("127.0.0.2", True), ("0.0.0.0", False), ("192.168.1.10", False), ("example.org", False)],
)  # fmt: skip
def test_is_loopback(host: str, expected: bool) -> None:
    assert is_loopback(host) is expected


def test_serve_refuses_open_non_loopback(capsys: pytest.CaptureFixture[str]) -> None:
    assert serve(host="0.0.0.0", port=7860) == 2
    err = capsys.readouterr().err
    assert "拒绝" in err and "ADVISOR_AUTH" in err and "--insecure" in err


def test_serve_reports_a_bad_users_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ADVISOR_AUTH", str(tmp_path / "missing-users"))
    assert serve(host="0.0.0.0", port=7860) == 2
    assert "找不到用户文件" in capsys.readouterr().err


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_login_is_required(tmp_path: Path) -> None:
    users = tmp_path / "users"
    users.write_text(f"alice:{auth.hash_password('alice-password', iterations=FAST)}\n", encoding="utf-8")
    adv = Advisor(settings=Settings(data_dir=tmp_path / "data", llm_provider="extractive"))
    demo = build_app(adv)
    port = _free_port()
    demo.launch(
        server_name="127.0.0.1",
        server_port=port,
        prevent_thread_lock=True,
        quiet=True,
        auth=auth.auth_fn(users),
        **launch_options(adv),
    )
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=base, timeout=10) as anon:
            assert anon.get("/config").status_code == 401
            assert anon.post("/login", data={"username": "alice", "password": "nope"}).status_code == 400
        with httpx.Client(base_url=base, timeout=10) as user:
            assert (
                user.post("/login", data={"username": "alice", "password": "alice-password"}).status_code
                == 200
            )
            assert user.get("/config").status_code == 200
    finally:
        demo.close()
