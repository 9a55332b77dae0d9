"""Configuration from the environment, shared by `make run`, every `dondoc` command and the tests.

Values come from environment variables; a `.env` file (KEY=VALUE lines) in the data directory's parent
(the checkout) or named by DONDOC_ENV_FILE fills in what the environment does not set, so
`.venv/bin/dondoc token tonghop` acts on the same database `make run` serves.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
# Published with the code, for demo mode on a laptop only: `check --deploy` refuses it (core/checks.py).
DEMO_SECRET_KEY = "dondoc-demo-only-insecure-key-not-for-production-use-0123456789"


def project_root() -> Path:
    """The checkout when dondoc runs from one (editable install), else the current directory."""
    candidate = PACKAGE_DIR.parent.parent
    if (candidate / "pyproject.toml").exists():
        return candidate
    return Path.cwd()


def _load_env_file() -> None:
    path = os.environ.get("DONDOC_ENV_FILE") or str(project_root() / ".env")
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError:
        return
    for line in lines:
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.partition("=")
        os.environ.setdefault(key.strip(), value.strip().strip('"').strip("'"))


_load_env_file()


class ConfigError(ValueError):
    """A setting the environment gives a value it cannot mean: refused at start, never read as a default."""


def env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off"}


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name)
    if value is None:
        return default
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ConfigError(f"{name} must be 1 or 0 (true/false, yes/no, on/off), got {value!r}")


def env_int(name: str, default: int) -> int:
    value = env(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a whole number, got {value!r}") from exc


def data_dir() -> Path:
    return Path(env("DONDOC_DATA_DIR") or project_root() / "var")


def production() -> bool:
    return env_bool("DONDOC_PRODUCTION")
