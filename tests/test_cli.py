"""The `dondoc` command as a user types it (subprocesses, so configuration errors are seen as a user sees them)."""

import os
import secrets
import subprocess
import sys

import pytest

pytestmark = pytest.mark.nodb


def dondoc(*args, **env):
    # A clean environment, as a user's shell has: no DONDOC_* settings, no test-only Django switches.
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("DONDOC_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    full_env["DONDOC_ENV_FILE"] = os.devnull
    full_env.update(env)
    return subprocess.run([sys.executable, "-m", "dondoc.cli", *args], capture_output=True, text=True, env=full_env,
                          timeout=120)


def test_production_mode_without_secret_key_refuses_to_start():
    result = dondoc("check", DONDOC_PRODUCTION="1", DONDOC_ALLOWED_HOSTS="dondoc.example.vn")
    assert result.returncode == 2
    assert "DONDOC_SECRET_KEY" in result.stderr
    assert "Traceback" not in result.stderr


def test_production_mode_passes_the_deployment_checks(tmp_path):
    result = dondoc("check", "--deploy", "--fail-level", "WARNING", DONDOC_PRODUCTION="1",
                    DONDOC_SECRET_KEY=secrets.token_urlsafe(50), DONDOC_ALLOWED_HOSTS="dondoc.example.vn",
                    DONDOC_DATA_DIR=str(tmp_path), DONDOC_BASE_URL="https://dondoc.example.vn")
    assert result.returncode == 0, result.stdout + result.stderr


def test_deployment_checks_fail_on_the_published_demo_key(tmp_path):
    from dondoc.config import DEMO_SECRET_KEY

    result = dondoc("check", "--deploy", DONDOC_PRODUCTION="1", DONDOC_SECRET_KEY=DEMO_SECRET_KEY,
                    DONDOC_ALLOWED_HOSTS="dondoc.example.vn", DONDOC_DATA_DIR=str(tmp_path),
                    DONDOC_BASE_URL="https://dondoc.example.vn")
    assert result.returncode != 0 and "dondoc.E001" in result.stderr + result.stdout


def test_deployment_checks_want_the_public_https_address_for_links(tmp_path):
    result = dondoc("check", "--deploy", "--fail-level", "WARNING", DONDOC_PRODUCTION="1",
                    DONDOC_SECRET_KEY=secrets.token_urlsafe(50), DONDOC_ALLOWED_HOSTS="dondoc.example.vn",
                    DONDOC_DATA_DIR=str(tmp_path))
    assert result.returncode != 0 and "dondoc.W001" in result.stderr + result.stdout


def test_demo_is_refused_in_production_mode(tmp_path):
    result = dondoc("demo", DONDOC_PRODUCTION="1", DONDOC_SECRET_KEY=secrets.token_urlsafe(50),
                    DONDOC_ALLOWED_HOSTS="dondoc.example.vn", DATABASE_URL=f"sqlite:///{tmp_path / 'x.sqlite3'}")
    assert result.returncode != 0
    assert "refused in production mode" in result.stderr


def test_help_lists_the_commands():
    result = dondoc("--help")
    assert result.returncode == 0
    for word in ("run", "worker", "demo", "token", "parse"):
        assert f"  {word}" in result.stdout


def test_demo_clock_is_refused_in_production():
    result = dondoc("check", DONDOC_PRODUCTION="1", DONDOC_SECRET_KEY=secrets.token_urlsafe(50),
                    DONDOC_ALLOWED_HOSTS="dondoc.example.vn", DONDOC_TODAY="2024-10-15")
    assert result.returncode == 2 and "DONDOC_TODAY" in result.stderr


def test_the_mail_folder_is_refused_in_production():
    """Production sends e-mail; a folder that swallowed every digest would be a silent failure."""
    result = dondoc("check", DONDOC_PRODUCTION="1", DONDOC_SECRET_KEY=secrets.token_urlsafe(50),
                    DONDOC_ALLOWED_HOSTS="dondoc.example.vn", DONDOC_EMAIL_FOLDER="1")
    assert result.returncode == 2 and "DONDOC_EMAIL_FOLDER" in result.stderr and "Traceback" not in result.stderr


def test_the_mail_folder_in_demo_mode(tmp_path):
    code = "from django.conf import settings; print(settings.EMAIL_BACKEND, settings.EMAIL_FOLDER)"
    on = dondoc("shell", "-c", code, DONDOC_EMAIL_FOLDER="1", DONDOC_DATA_DIR=str(tmp_path)).stdout.split()[-2:]
    assert on == ["dondoc.core.mail.FolderBackend", str(tmp_path / "mail")]
    off = dondoc("shell", "-c", code, DONDOC_DATA_DIR=str(tmp_path)).stdout.split()[-2:]
    assert off == ["django.core.mail.backends.smtp.EmailBackend", "None"]  # unset: SMTP, as in production


def test_demo_clock_must_be_a_date():
    result = dondoc("check", DONDOC_TODAY="15/10/2024")
    assert result.returncode == 2 and "YYYY-MM-DD" in result.stderr


def test_demo_clock_sets_today():
    result = dondoc("shell", "-c", "from dondoc.core import clock; print(clock.today())", DONDOC_TODAY="2024-10-15")
    assert result.stdout.strip().splitlines()[-1] == "2024-10-15"


def test_report_working_days_come_from_the_environment():
    code = "from dondoc.reports import deadlines; print(deadlines.working_days(), deadlines.coordinator_working_days())"
    assert dondoc("shell", "-c", code).stdout.split()[-2:] == ["1", "4"]  # the defaults (docs/reports.md)
    given = dondoc("shell", "-c", code, DONDOC_REPORT_WORKING_DAYS="2", DONDOC_COORDINATOR_REPORT_WORKING_DAYS="6")
    assert given.stdout.split()[-2:] == ["2", "6"]


@pytest.mark.parametrize("name, value", [("DONDOC_DEBUG", "maybe"), ("DONDOC_EMAIL_TLS", "oui"), ("DONDOC_EMAIL_FOLDER", "sure"),
                                         ("DONDOC_REPORT_WORKING_DAYS", "two"), ("DONDOC_LOCKOUT_THRESHOLD", "5.5")])
def test_a_setting_the_environment_gives_a_meaningless_value_refuses_to_start(name, value):
    result = dondoc("check", **{name: value})
    assert result.returncode == 2
    assert name in result.stderr and repr(value) in result.stderr
    assert "Traceback" not in result.stderr


def test_a_yes_or_no_setting_takes_the_words_people_write():
    code = "from django.conf import settings; print(settings.TRUST_X_FORWARDED_FOR)"
    for word, expected in [("1", "True"), ("yes", "True"), ("ON", "True"), ("0", "False"), ("off", "False")]:
        assert dondoc("shell", "-c", code, DONDOC_TRUST_X_FORWARDED_FOR=word).stdout.split()[-1] == expected


def test_the_parsers_settings_are_checked_at_start_too():
    result = dondoc("check", DONDOC_OCR_DPI="high")
    assert result.returncode == 2 and "DONDOC_OCR_DPI" in result.stderr and "Traceback" not in result.stderr


def test_a_new_data_directory_is_made_on_first_use(tmp_path):
    data = tmp_path / "new" / "data"
    result = dondoc("migrate", "--noinput", "-v", "0", DONDOC_DATA_DIR=str(data), DATABASE_URL="")  # "": the default
    assert result.returncode == 0, result.stderr
    assert (data / "dondoc.sqlite3").is_file()
