"""The review database: users, sessions, approvals and login throttling, in one SQLite file beside the renders.

This module is its only reader and writer. The database runs in WAL mode, so pages can read while a
lead approves; every change is one ``BEGIN IMMEDIATE`` transaction, so two leads approving the same
render at once get one approval and a clear answer, never half a record. A locked or damaged file
becomes a ``ReviewError`` naming it, never a traceback.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import hmac
import secrets
import sqlite3
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from studio.errors import StudioError

DB_NAME = ".studio.sqlite"
ROLES = ("lead", "editor", "viewer")
DECISIONS = ("approved", "changes")
SESSION_HOURS = 12
#: scrypt cost: 16 MiB of memory and ~40 ms a check here, too slow to guess many passwords offline.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
MIN_PASSWORD = 8

_SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    name TEXT PRIMARY KEY, role TEXT NOT NULL, password TEXT NOT NULL, created TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sessions (
    token_hash TEXT PRIMARY KEY, user TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
    csrf TEXT NOT NULL, expires REAL NOT NULL);
CREATE TABLE IF NOT EXISTS reviews (
    id INTEGER PRIMARY KEY AUTOINCREMENT, campaign TEXT NOT NULL, quarter TEXT NOT NULL, path TEXT NOT NULL,
    sha256 TEXT NOT NULL, decision TEXT NOT NULL, user TEXT NOT NULL, at TEXT NOT NULL, comment TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS reviews_render ON reviews (campaign, quarter, path, id);
CREATE TABLE IF NOT EXISTS campaign_revisions (
    id INTEGER PRIMARY KEY AUTOINCREMENT, campaign TEXT NOT NULL, user TEXT NOT NULL, at TEXT NOT NULL,
    note TEXT NOT NULL, sha256 TEXT NOT NULL, text TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS login_failures (key TEXT PRIMARY KEY, failures INTEGER NOT NULL, last REAL NOT NULL);
"""


class ReviewError(StudioError):
    """The review database cannot be used (locked, damaged, unwritable) or refuses a change."""


@dataclass(frozen=True)
class User:
    name: str
    role: str

    @property
    def can_approve(self) -> bool:
        return self.role == "lead"

    @property
    def can_render(self) -> bool:
        return self.role in ("lead", "editor")


@dataclass(frozen=True)
class Session:
    user: User
    csrf: str


@dataclass(frozen=True)
class Review:
    """One decision on one file of a quarter: who, when, on which bytes, and why."""

    campaign: str
    quarter: str
    path: str  # relative to the quarter's folder
    sha256: str
    decision: str  # "approved" or "changes"
    user: str
    at: str  # ISO 8601, UTC
    comment: str


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${digest.hex()}"


def check_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        got = hashlib.scrypt(
            password.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p), dklen=len(digest) // 2
        )
    except ValueError:
        return False
    return hmac.compare_digest(got.hex(), digest)


@functools.cache
def _dummy_hash() -> str:
    """Checked against when the user does not exist, so a wrong name takes as long as a wrong password.

    Made at the first log-in, not at import: every ``studio render`` imports this module (approvals)."""
    return hash_password(secrets.token_hex(8))


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class ReviewDB:
    """The database at ``out_root/.studio.sqlite``. Each method opens its own short connection (thread-safe)."""

    #: How long a write waits for another writer before the database counts as busy.
    busy_timeout_s = 5.0

    def __init__(self, out_root: Path) -> None:
        self.path = Path(out_root) / DB_NAME

    @property
    def exists(self) -> bool:
        return self.path.is_file()

    def _fail(self, exc: sqlite3.Error) -> ReviewError:
        message = str(exc)
        if "locked" in message or "busy" in message:
            return ReviewError(f"{self.path}: the review database is busy (locked by another program); try again")
        if isinstance(exc, sqlite3.DatabaseError) and not isinstance(
            exc, sqlite3.OperationalError | sqlite3.IntegrityError
        ):
            return ReviewError(f"{self.path}: the review database is damaged ({message}); restore it from a backup")
        return ReviewError(f"{self.path}: the review database cannot be used ({message})")

    @contextmanager
    def _connect(self, write: bool) -> Iterator[sqlite3.Connection]:
        """A connection in a transaction: IMMEDIATE for writers (one at a time), committed whole or not at all."""
        try:
            if write:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            elif not self.exists:
                raise ReviewError(f"{self.path}: no review database yet (create a user with: studio users add)")
            conn = sqlite3.connect(self.path, timeout=self.busy_timeout_s, isolation_level=None)
        except (sqlite3.Error, OSError) as exc:
            raise ReviewError(f"{self.path}: cannot open the review database ({exc})") from None
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout_s * 1000)}")
            conn.execute("PRAGMA foreign_keys = ON")
            if write:
                if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                    conn.execute("PRAGMA journal_mode = WAL")
                conn.executescript(_SCHEMA)
                conn.execute("BEGIN IMMEDIATE")
            else:
                conn.execute("BEGIN")
            try:
                yield conn
            except BaseException:
                conn.rollback()
                raise
            conn.commit()
        except sqlite3.Error as exc:
            raise self._fail(exc) from None
        finally:
            conn.close()

    def check(self) -> None:
        """Raise ReviewError when the database is damaged (a quick integrity check)."""
        with self._connect(write=False) as conn:
            row = conn.execute("PRAGMA quick_check").fetchone()
            if row[0] != "ok":
                raise ReviewError(f"{self.path}: the review database is damaged ({row[0]}); restore it from a backup")

    # Users -----------------------------------------------------------------------------------------

    def add_user(self, name: str, role: str, password: str) -> User:
        _check_name(name)
        if role not in ROLES:
            raise ReviewError(f'--role: unknown role "{role}"; known: {", ".join(ROLES)}')
        _check_password(password)
        with self._connect(write=True) as conn:
            if conn.execute("SELECT 1 FROM users WHERE name = ?", (name,)).fetchone():
                raise ReviewError(f'user "{name}" already exists (change the password with: studio users passwd)')
            conn.execute("INSERT INTO users VALUES (?, ?, ?, ?)", (name, role, hash_password(password), _now()))
        return User(name, role)

    def set_password(self, name: str, password: str) -> None:
        _check_password(password)
        with self._connect(write=True) as conn:
            if not conn.execute(
                "UPDATE users SET password = ? WHERE name = ?", (hash_password(password), name)
            ).rowcount:
                raise ReviewError(f'no user "{name}"')
            conn.execute("DELETE FROM sessions WHERE user = ?", (name,))  # a new password logs them out everywhere

    def remove_user(self, name: str) -> None:
        with self._connect(write=True) as conn:
            if not conn.execute("DELETE FROM users WHERE name = ?", (name,)).rowcount:
                raise ReviewError(f'no user "{name}"')

    def users(self) -> list[User]:
        if not self.exists:
            return []
        with self._connect(write=False) as conn:
            return [User(n, r) for n, r in conn.execute("SELECT name, role FROM users ORDER BY name")]

    # Log-in and sessions ---------------------------------------------------------------------------

    def login_delay(self, keys: tuple[str, ...]) -> float:
        """Seconds to wait before answering a log-in attempt: 0 for the first 3 failures, then doubling to 30."""
        if not self.exists:
            return 0.0
        with self._connect(write=False) as conn:
            rows = [conn.execute("SELECT failures FROM login_failures WHERE key = ?", (k,)).fetchone() for k in keys]
        failures = max((r[0] for r in rows if r), default=0)
        return 0.0 if failures < 3 else float(min(30, 2 ** (failures - 3)))

    def login(self, name: str, password: str, keys: tuple[str, ...]) -> tuple[str, Session] | None:
        """A new session token and its session, or None (wrong name or password: the caller cannot tell which)."""
        with self._connect(write=True) as conn:
            row = conn.execute("SELECT role, password FROM users WHERE name = ?", (name,)).fetchone()
            ok = check_password(password, row[1] if row else _dummy_hash()) and row is not None
            if not ok:
                for key in keys:
                    conn.execute(
                        "INSERT INTO login_failures VALUES (?, 1, ?) ON CONFLICT(key) DO UPDATE "
                        "SET failures = failures + 1, last = excluded.last",
                        (key, time.time()),
                    )
                return None
            for key in keys:
                conn.execute("DELETE FROM login_failures WHERE key = ?", (key,))
            token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
            conn.execute("DELETE FROM sessions WHERE expires < ?", (time.time(),))
            conn.execute(
                "INSERT INTO sessions VALUES (?, ?, ?, ?)",
                (_token_hash(token), name, csrf, time.time() + SESSION_HOURS * 3600),
            )
        return token, Session(User(name, row[0]), csrf)

    def session(self, token: str) -> Session | None:
        if not token or not self.exists:
            return None
        with self._connect(write=False) as conn:
            row = conn.execute(
                "SELECT u.name, u.role, s.csrf FROM sessions s JOIN users u ON u.name = s.user "
                "WHERE s.token_hash = ? AND s.expires > ?",
                (_token_hash(token), time.time()),
            ).fetchone()
        return Session(User(row[0], row[1]), row[2]) if row else None

    def logout(self, token: str) -> None:
        with self._connect(write=True) as conn:
            conn.execute("DELETE FROM sessions WHERE token_hash = ?", (_token_hash(token),))

    # Campaign revisions: every save from the browser keeps the text it replaced and the text it wrote.

    def add_revisions(self, campaign: str, user: str, note: str, before: str, after: str) -> None:
        with self._connect(write=True) as conn:
            last = conn.execute(
                "SELECT sha256 FROM campaign_revisions WHERE campaign = ? ORDER BY id DESC LIMIT 1", (campaign,)
            ).fetchone()
            at = _now()
            before_sha = hashlib.sha256(before.encode()).hexdigest()
            if not last or last[0] != before_sha:  # the file as it was (e.g. edited by hand since)
                conn.execute(
                    "INSERT INTO campaign_revisions (campaign, user, at, note, sha256, text) VALUES (?, ?, ?, ?, ?, ?)",
                    (campaign, "", at, "on disk", before_sha, before),
                )
            conn.execute(
                "INSERT INTO campaign_revisions (campaign, user, at, note, sha256, text) VALUES (?, ?, ?, ?, ?, ?)",
                (campaign, user, at, note, hashlib.sha256(after.encode()).hexdigest(), after),
            )

    def revisions(self, campaign: str) -> list[Revision]:
        if not self.exists:
            return []
        with self._connect(write=False) as conn:
            try:
                rows = conn.execute(
                    "SELECT id, campaign, user, at, note, sha256, '' FROM campaign_revisions WHERE campaign = ? "
                    "ORDER BY id DESC",
                    (campaign,),
                ).fetchall()
            except sqlite3.OperationalError:
                return []  # a database from before revisions existed
        return [Revision(*row) for row in rows]

    def revision(self, campaign: str, revision_id: int) -> Revision | None:
        if not self.exists:
            return None
        with self._connect(write=False) as conn:
            row = conn.execute(
                "SELECT id, campaign, user, at, note, sha256, text FROM campaign_revisions "
                "WHERE campaign = ? AND id = ?",
                (campaign, revision_id),
            ).fetchone()
        return Revision(*row) if row else None

    # Reviews ---------------------------------------------------------------------------------------

    def review(
        self, user: User, campaign: str, quarter: str, files: Mapping[str, str], decision: str, comment: str
    ) -> tuple[Review, bool]:
        """Record a decision on a render's files (path → sha256 of the bytes decided on).

        Returns the decision and whether it is new.

        Only leads decide. Approving what is already approved with the same bytes records nothing new and
        returns the standing approval: two leads approving at once make one approval, not two.
        """
        if not user.can_approve:
            raise ReviewError(f"{user.name} is a {user.role}: only a lead can approve or ask for changes")
        if decision not in DECISIONS:
            raise ReviewError(f'decision: unknown value "{decision}"; known: {", ".join(DECISIONS)}')
        if not files:
            raise ReviewError("nothing to review: the render has no files")
        comment = comment.strip()
        if decision == "changes" and not comment:
            raise ReviewError("comment: say what should change")
        if len(comment) > 4000:
            raise ReviewError(f"comment: {len(comment)} characters; at most 4000")
        with self._connect(write=True) as conn:
            standing = [_latest(conn, campaign, quarter, path) for path in files]
            if decision == "approved" and all(
                r and r.decision == "approved" and r.sha256 == files[r.path] for r in standing
            ):
                first = standing[0]
                assert first is not None
                return first, False
            at = _now()
            for path, sha in files.items():
                conn.execute(
                    "INSERT INTO reviews (campaign, quarter, path, sha256, decision, user, at, comment) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (campaign, quarter, path, sha, decision, user.name, at, comment),
                )
        path, sha = next(iter(files.items()))
        return Review(campaign, quarter, path, sha, decision, user.name, at, comment), True

    def latest(self, campaign: str, quarter: str) -> dict[str, Review]:
        """The standing decision on each file of a quarter that has one, by path."""
        if not self.exists:
            return {}
        with self._connect(write=False) as conn:
            rows = conn.execute(
                "SELECT campaign, quarter, path, sha256, decision, user, at, comment FROM reviews r "
                "WHERE campaign = ? AND quarter = ? AND id = "
                "(SELECT MAX(id) FROM reviews WHERE campaign = r.campaign AND quarter = r.quarter AND path = r.path)",
                (campaign, quarter),
            ).fetchall()
        return {row[2]: Review(*row) for row in rows}

    def history(self, campaign: str, quarter: str, path: str) -> list[Review]:
        if not self.exists:
            return []
        with self._connect(write=False) as conn:
            rows = conn.execute(
                "SELECT campaign, quarter, path, sha256, decision, user, at, comment FROM reviews "
                "WHERE campaign = ? AND quarter = ? AND path = ? ORDER BY id DESC",
                (campaign, quarter, path),
            ).fetchall()
        return [Review(*row) for row in rows]

    def approved(self, campaign: str, quarter: str) -> dict[str, str]:
        """Files whose standing decision is an approval, with the sha256 of the approved bytes, by path."""
        return {p: r.sha256 for p, r in self.latest(campaign, quarter).items() if r.decision == "approved"}


@dataclass(frozen=True)
class Revision:
    """A campaign file's text as it was before a save from the browser (or the text a save wrote)."""

    id: int
    campaign: str
    user: str
    at: str
    note: str
    sha256: str
    text: str


def _latest(conn: sqlite3.Connection, campaign: str, quarter: str, path: str) -> Review | None:
    row = conn.execute(
        "SELECT campaign, quarter, path, sha256, decision, user, at, comment FROM reviews "
        "WHERE campaign = ? AND quarter = ? AND path = ? ORDER BY id DESC LIMIT 1",
        (campaign, quarter, path),
    ).fetchone()
    return Review(*row) if row else None


def _token_hash(token: str) -> str:
    # Only the hash is stored: a copy of the database does not log anyone in.
    return hashlib.sha256(token.encode()).hexdigest()


def _check_name(name: str) -> None:
    if not name or len(name) > 64 or not all(c.isalnum() or c in "._-" for c in name):
        raise ReviewError(f'user name "{name}": use 1–64 letters, digits, ".", "_" or "-"')


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise ReviewError(f"password: at least {MIN_PASSWORD} characters")


def approved_files(out_root: Path, campaign: str, quarter: str) -> dict[str, str]:
    """What a batch must not overwrite: approved files of a quarter and their approved sha256.

    No database (nobody has logged in or approved anything yet) means no approvals.
    """
    db = ReviewDB(out_root)
    return db.approved(campaign, quarter) if db.exists else {}
