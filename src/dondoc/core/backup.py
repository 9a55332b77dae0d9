"""`dondoc backup FILE` and `dondoc restore FILE`: the database and the uploaded files in one archive.

The archive is a tar file (gzip when FILE ends in .gz) holding
  manifest.json      format, when, the database kind, the applied migrations, each table's row count, and the
                     size and SHA-256 of every other member
  database.sqlite3   SQLite: a consistent copy through SQLite's online backup API (the server may keep writing)
  database.pgdump    PostgreSQL: `pg_dump --format=custom`, inside an exported snapshot the row counts come from
  media/...          the uploaded files (plans, evidence, generated letters)

The database is copied first, then the files: a file is stored before the row that names it commits, so every file
the copied database names is in the archive (a file uploaded meanwhile may be there too, unnamed: harmless).
Restore checks every checksum, the database kind and the migrations before it writes anything, refuses a database
or a media folder that is not empty (unless --force), then checks the restored row counts against the manifest.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection

FORMAT = "dondoc-backup"
VERSION = 1
MANIFEST = "manifest.json"
MEDIA = "media"
DUMPS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}


class BackupError(Exception):
    """A refused backup or restore, with a message for the operator (English: the command line)."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _media_root() -> Path:
    return Path(settings.STORAGES["default"]["OPTIONS"]["location"])


def _tables(cursor) -> list[str]:
    return sorted(t for t in connection.introspection.table_names(cursor) if not t.startswith("sqlite_"))


def _counts(cursor, tables) -> dict[str, int]:
    qn = connection.ops.quote_name
    out = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {qn(table)}")
        out[table] = cursor.fetchone()[0]
    return out


def _migrations(cursor) -> list[list[str]]:
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    return [list(row) for row in cursor.fetchall()]


def _pg_command(executable: str, *parameters: str) -> tuple[list[str], dict]:
    from django.db.backends.postgresql.client import DatabaseClient

    if shutil.which(executable) is None:
        raise BackupError(f"{executable} not found: install PostgreSQL's client programs "
                          "(Debian: apt-get install postgresql-client, of the server's major version or newer).")
    args, env = DatabaseClient.settings_to_cmd_args_env(connection.settings_dict, list(parameters))
    return [executable, *args[1:]], {**os.environ, **(env or {})}


def _dump_sqlite(target: Path) -> tuple[dict, list]:
    connection.ensure_connection()
    source = connection.connection
    with contextlib.closing(sqlite3.connect(target)) as copy:
        source.backup(copy)  # page by page, consistent even while others write
    with contextlib.closing(sqlite3.connect(target)) as copy:
        cursor = copy.cursor()
        names = [r[0] for r in cursor.execute("SELECT name FROM sqlite_master WHERE type='table' "
                                              "AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        counts = {n: cursor.execute(f'SELECT COUNT(*) FROM "{n}"').fetchone()[0] for n in names}
        migrations = [list(r) for r in cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")]
    return counts, migrations


def _dump_postgres(target: Path) -> tuple[dict, list]:
    # The counts and the dump read one snapshot: pg_dump joins the transaction that exported it.
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        try:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            args, env = _pg_command("pg_dump", "--format=custom", "--no-owner", "--no-privileges",
                                    f"--snapshot={snapshot}", f"--file={target}")
            result = subprocess.run(args, env=env, capture_output=True, text=True)
            if result.returncode != 0:
                raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
            counts = _counts(cursor, _tables(cursor))
            migrations = _migrations(cursor)
        finally:
            cursor.execute("ROLLBACK")
    return counts, migrations


def backup(path: str | Path) -> dict:
    """Write the archive to `path` (through a temporary name: a crash never leaves half an archive there)."""
    path = Path(path)
    vendor = connection.vendor
    if vendor not in DUMPS:
        raise BackupError(f"backups support SQLite and PostgreSQL, not {vendor}")
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=path.parent, prefix=".dondoc-backup-") as work:
        dump = Path(work) / DUMPS[vendor]
        counts, migrations = (_dump_sqlite if vendor == "sqlite" else _dump_postgres)(dump)
        members = [(DUMPS[vendor], dump)]
        root = _media_root()
        if root.exists():
            for file in sorted(p for p in root.rglob("*") if p.is_file()):
                members.append((f"{MEDIA}/{file.relative_to(root).as_posix()}", file))
        manifest = {
            "format": FORMAT, "version": VERSION, "created_at": dt.datetime.now(dt.timezone.utc).isoformat(),
            "database": {"vendor": vendor, "member": DUMPS[vendor]}, "migrations": migrations, "rows": counts,
            "files": [{"name": name, "size": file.stat().st_size, "sha256": _sha256(file)} for name, file in members],
        }
        partial = Path(work) / "archive.partial"
        with tarfile.open(partial, "w:gz" if path.suffix == ".gz" else "w") as tar:
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime = len(data), int(dt.datetime.now().timestamp())
            tar.addfile(info, io.BytesIO(data))
            for name, file in members:
                tar.add(file, arcname=name, recursive=False)
        os.replace(partial, path)
    return manifest


def _safe(name: str) -> bool:
    parts = Path(name).parts
    return bool(parts) and not Path(name).is_absolute() and ".." not in parts


def read_manifest(tar: tarfile.TarFile) -> dict:
    try:
        manifest = json.load(tar.extractfile(MANIFEST))
    except (KeyError, AttributeError, ValueError):
        raise BackupError("not a dondoc backup: the archive has no readable manifest.json")
    if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
        raise BackupError(f"not a dondoc backup of format {FORMAT} v{VERSION} "
                          f"(found {manifest.get('format')!r} v{manifest.get('version')!r})")
    return manifest


def _check_migrations(archived: list[list[str]]) -> None:
    """An archive from a newer dondoc (migrations this code does not have) cannot be restored by it."""
    from django.db.migrations.loader import MigrationLoader

    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    unknown = [f"{app}.{name}" for app, name in archived if (app, name) not in known]
    if unknown:
        raise BackupError("the archive comes from a newer dondoc (migrations this version does not have: "
                          f"{', '.join(unknown[:5])}{' ...' if len(unknown) > 5 else ''}); restore it with that version")


def _database_is_empty() -> bool:
    with connection.cursor() as cursor:
        tables = _tables(cursor)
        if "django_migrations" not in tables:
            return True
        counts = _counts(cursor, [t for t in tables if t not in _MADE_BY_MIGRATE])
    return not any(counts.values())


# Rows `migrate` itself writes into a fresh database: they do not make it "not empty".
_MADE_BY_MIGRATE = {"django_migrations", "django_content_type", "auth_permission"}


def restore(path: str | Path, *, force: bool = False) -> dict:
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path}: no such file")
    vendor = connection.vendor
    settings.DATA_DIR.mkdir(parents=True, exist_ok=True)  # a fresh data directory
    if vendor == "sqlite":
        Path(connection.settings_dict["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    try:
        tar = tarfile.open(path, "r:*")
    except tarfile.TarError as exc:
        raise BackupError(f"{path}: not a backup archive ({exc})")
    with tar, tempfile.TemporaryDirectory(prefix=".dondoc-restore-") as work:
        manifest = read_manifest(tar)
        if manifest["database"]["vendor"] != vendor:
            raise BackupError(f"the archive holds a {manifest['database']['vendor']} database and this dondoc uses "
                              f"{vendor}: restore it on the same kind of database")
        _check_migrations(manifest["migrations"])
        expected = {f["name"]: f for f in manifest["files"]}
        names = {m.name for m in tar.getmembers() if m.isfile()} - {MANIFEST}
        if names != set(expected):
            missing, extra = sorted(set(expected) - names), sorted(names - set(expected))
            raise BackupError(f"the archive does not match its manifest (missing: {missing[:5]}, not listed: {extra[:5]})")
        # Every member is unpacked and checked before anything is written where dondoc reads.
        for member in tar.getmembers():
            if member.name == MANIFEST or not member.isfile():
                continue
            if not _safe(member.name):
                raise BackupError(f"unsafe path in the archive: {member.name}")
            target = Path(work) / member.name
            target.parent.mkdir(parents=True, exist_ok=True)
            with tar.extractfile(member) as src, open(target, "wb") as dst:
                shutil.copyfileobj(src, dst)
            entry = expected[member.name]
            if target.stat().st_size != entry["size"] or _sha256(target) != entry["sha256"]:
                raise BackupError(f"checksum mismatch for {member.name}: the archive is damaged or was altered")
        media = _media_root()
        if not force:
            if media.exists() and any(p.is_file() for p in media.rglob("*")):
                raise BackupError(f"the media folder {media} is not empty: restore into a fresh data directory, "
                                  "or pass --force to replace its files")
            if not _database_is_empty():
                raise BackupError("the database is not empty: restore into a fresh database, or pass --force to "
                                  "replace it")
        dump = Path(work) / manifest["database"]["member"]
        (_restore_sqlite if vendor == "sqlite" else _restore_postgres)(dump, force)
        if (Path(work) / MEDIA).exists():
            if force and media.exists():
                shutil.rmtree(media)
            shutil.copytree(Path(work) / MEDIA, media, dirs_exist_ok=True)
    connection.close()
    with connection.cursor() as cursor:
        got = _counts(cursor, list(manifest["rows"]))
    wrong = {t: (n, got.get(t)) for t, n in manifest["rows"].items() if got.get(t) != n}
    if wrong:
        raise BackupError(f"restored row counts differ from the archive's: {dict(list(wrong.items())[:5])}")
    return manifest


def _restore_sqlite(dump: Path, force: bool) -> None:
    connection.ensure_connection()
    with contextlib.closing(sqlite3.connect(dump)) as source:
        source.backup(connection.connection)  # replaces every page of the live database, WAL included
    connection.close()


def _restore_postgres(dump: Path, force: bool) -> None:
    # The tables a `migrate` may have made (empty, or replaced under --force) go first, so the dump's own land.
    try:
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA IF EXISTS public CASCADE")
            cursor.execute("CREATE SCHEMA public")
    except DatabaseError as exc:
        raise BackupError(f"cannot empty the database's public schema (is the DATABASE_URL user its owner?): {exc}")
    connection.close()
    # pg_restore takes the database after --dbname, which settings_to_cmd_args_env puts last.
    args, env = _pg_command("pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
                            "--dbname")
    result = subprocess.run([*args, str(dump)], env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed: {result.stderr.strip()[-2000:]}")
