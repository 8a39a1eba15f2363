"""Optional login for the web app (``ADVISOR_AUTH`` = path of a users file).

The users file has one user per line, ``name:pbkdf2_sha256$<iterations>$<salt_b64>$<hash_b64>``; blank
lines and lines starting with ``#`` are ignored. Passwords are never stored, logged or read from the
environment: only their PBKDF2-HMAC-SHA256 hashes are kept, and :func:`verify` compares in constant time
(an unknown user costs the same hash computation as a known one). ``advisor users add NAME`` calls
:func:`add_user`, which replaces the user's line if present and writes the file atomically with mode 0600.

:class:`Authenticator` is the callable given to ``gr.Blocks.launch(auth=...)``: it re-reads the file when
it changes (users added or removed without a restart) and locks a user name out for a while after
repeated failures.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import os
import re
import secrets
import tempfile
import threading
import time
from pathlib import Path

log = logging.getLogger(__name__)

SCHEME = "pbkdf2_sha256"
ITERATIONS = 600_000  # OWASP 2023 recommendation for PBKDF2-HMAC-SHA256
MIN_PASSWORD_CHARS = 8
MAX_PASSWORD_CHARS = 1024
_NAME = re.compile(r"^[\w.@\-]{1,64}$")
_DUMMY = f"{SCHEME}${ITERATIONS}$" + base64.b64encode(b"advisor-dummy-salt").decode() + "$" + "A" * 44


class AuthError(ValueError):
    """A users file or user entry that cannot be used; the message says what to fix."""


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_password(password: str, iterations: int = ITERATIONS, salt: bytes | None = None) -> str:
    """``pbkdf2_sha256$iterations$salt_b64$hash_b64`` for ``password`` (a fresh 16-byte salt by default)."""
    if not isinstance(password, str) or not password:
        raise AuthError("密码不能为空")
    salt = salt if salt is not None else secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, iterations)
    return f"{SCHEME}${iterations}${_b64(salt)}${_b64(digest)}"


def check_password(password: str, encoded: str) -> bool:
    """True when ``password`` matches the stored hash ``encoded``; False for any malformed hash."""
    try:
        scheme, iterations_s, salt_b64, hash_b64 = encoded.split("$")
        iterations = int(iterations_s)
        salt = base64.b64decode(salt_b64, validate=True)
        expected = base64.b64decode(hash_b64, validate=True)
    except (ValueError, TypeError):
        return False
    if scheme != SCHEME or not 1_000 <= iterations <= 10_000_000 or not expected:
        return False
    digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8", "surrogatepass"), salt, iterations)
    return hmac.compare_digest(digest, expected)


def verify(user: str, password: str, users: dict[str, str]) -> bool:
    """True when ``user`` exists in ``users`` (name → stored hash) and ``password`` matches.

    Unknown users are checked against a dummy hash so the time taken does not reveal which names exist.
    """
    if not isinstance(user, str) or not isinstance(password, str) or len(password) > MAX_PASSWORD_CHARS:
        return False
    encoded = users.get(user)
    ok = check_password(password, encoded if encoded is not None else _DUMMY)
    return ok and encoded is not None


def validate_name(name: str) -> str:
    name = (name or "").strip()
    if not _NAME.match(name):
        raise AuthError(
            f"用户名“{name}”不可用：只能使用字母、数字、汉字和 . _ - @，长度 1–64，不能含冒号或空格"
        )
    return name


def load_users(path: str | Path) -> dict[str, str]:
    """Read a users file into ``{name: encoded hash}``; :class:`AuthError` says which line is wrong."""
    file = Path(path).expanduser()
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise AuthError(
            f"找不到用户文件 {file}：用 `advisor users add 用户名` 创建，或清空 ADVISOR_AUTH 关闭登录"
        ) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise AuthError(f"无法读取用户文件 {file}：{exc}") from exc
    users: dict[str, str] = {}
    for no, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        name, sep, encoded = line.partition(":")
        if not sep or not _NAME.match(name.strip()) or not encoded.startswith(SCHEME + "$"):
            # never echo the line: it may be a pasted plain-text password
            raise AuthError(
                f"用户文件 {file} 第 {no} 行格式错误：应为 用户名:{SCHEME}$迭代次数$盐$哈希"
                "（请用 `advisor users add 用户名` 生成，不要写明文密码）"
            )
        if len(encoded.split("$")) != 4:
            raise AuthError(f"用户文件 {file} 第 {no} 行的密码哈希不完整")
        users[name.strip()] = encoded.strip()
    return users


def add_user(path: str | Path, name: str, password: str) -> None:
    """Add ``name`` (or replace its password) in the users file, creating it with mode 0600."""
    name = validate_name(name)
    if not isinstance(password, str) or len(password) < MIN_PASSWORD_CHARS:
        raise AuthError(f"密码太短：至少 {MIN_PASSWORD_CHARS} 个字符")
    if len(password) > MAX_PASSWORD_CHARS:
        raise AuthError(f"密码太长：最多 {MAX_PASSWORD_CHARS} 个字符")
    file = Path(path).expanduser()
    lines: list[str] = []
    if file.exists():
        load_users(file)  # refuse to rewrite a malformed file
        lines = [
            ln for ln in file.read_text(encoding="utf-8").splitlines() if ln.partition(":")[0].strip() != name
        ]
    lines.append(f"{name}:{hash_password(password)}")
    file.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".users-", dir=file.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        os.chmod(tmp, 0o600)
        os.replace(tmp, file)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class Authenticator:
    """``auth=`` callable for Gradio: checks the users file, reloaded when it changes on disk.

    After ``max_failures`` failed logins for one name within ``window_s`` seconds, that name is refused
    for ``lockout_s`` seconds (whatever the password), which slows down password guessing.
    """

    def __init__(
        self, path: str | Path, max_failures: int = 5, window_s: float = 300.0, lockout_s: float = 60.0
    ) -> None:
        self.path = Path(path).expanduser()
        self.max_failures = max_failures
        self.window_s = window_s
        self.lockout_s = lockout_s
        self._lock = threading.Lock()
        self._users: dict[str, str] = {}
        self._stamp: tuple[float, int] | None = None
        self._failures: dict[str, list[float]] = {}
        self._locked_until: dict[str, float] = {}
        self.users()  # fail fast on a missing or malformed file

    def users(self) -> dict[str, str]:
        try:
            st = self.path.stat()
        except FileNotFoundError:
            load_users(self.path)  # raises AuthError with the fix
            raise
        stamp = (st.st_mtime, st.st_size)
        with self._lock:
            if stamp != self._stamp:
                self._users = load_users(self.path)
                self._stamp = stamp
            return self._users

    def __call__(self, user: str, password: str) -> bool:
        now = time.monotonic()
        with self._lock:
            if self._locked_until.get(user, 0.0) > now:
                log.warning("login refused for %r: locked out after repeated failures", user)
                return False
        try:
            users = self.users()
        except (OSError, AuthError) as exc:
            log.error("users file unusable, refusing login: %s", exc)
            return False
        ok = verify(user, password, users)
        with self._lock:
            if ok:
                self._failures.pop(user, None)
            else:
                recent = [t for t in self._failures.get(user, []) if now - t < self.window_s] + [now]
                self._failures[user] = recent
                if len(recent) >= self.max_failures:
                    self._locked_until[user] = now + self.lockout_s
                    self._failures.pop(user, None)
                log.warning("failed login for %r", user)
        return ok


def auth_fn(path: str | Path) -> Authenticator:
    """The callable for ``launch(auth=...)`` backed by the users file at ``path``."""
    return Authenticator(path)
