"""Production mode's static files: collected into a manifest (hashed names) and served by the pages from it."""

import os
import secrets
import subprocess
import sys

import pytest


def _env(tmp_path, **extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DONDOC_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(DONDOC_ENV_FILE=os.devnull, DONDOC_PRODUCTION="1", DONDOC_SECRET_KEY=secrets.token_urlsafe(50),
               DONDOC_ALLOWED_HOSTS="localhost", DONDOC_DATA_DIR=str(tmp_path), **extra)
    return env


@pytest.mark.nodb
def test_collectstatic_with_the_manifest_storage_passes(tmp_path):
    # As the README's production commands run it: every file a stylesheet or script names must exist.
    result = subprocess.run([sys.executable, "-m", "dondoc.cli", "collectstatic", "--noinput"], capture_output=True,
                            text=True, env=_env(tmp_path), timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    manifest = (tmp_path / "static" / "staticfiles.json").read_text()
    for name in ("vendor/bootstrap/bootstrap.min.css", "vendor/chartjs/chart.umd.min.js", "dondoc/dondoc.css"):
        assert f'"{name}"' in manifest


@pytest.mark.nodb
def test_no_vendored_file_names_a_file_that_is_not_shipped():
    from pathlib import Path

    import dondoc

    root = Path(dondoc.__file__).parent
    for path in root.rglob("static/**/*"):
        if path.suffix in {".js", ".css"}:
            for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
                if "sourceMappingURL=" in line and not line.rstrip().endswith("*/") and "data:" not in line:
                    target = path.parent / line.split("sourceMappingURL=", 1)[1].strip()
                    assert target.exists(), f"{path.relative_to(root)} names {target.name}, which is not shipped"


@pytest.mark.django_db
def test_pages_render_with_hashed_static_names(tmp_path, settings, client, users):
    from django.core.management import call_command

    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"}}
    call_command("collectstatic", interactive=False, verbosity=0)
    from dondoc.accounts.roles import Role

    login = client.get("/dang-nhap/")
    assert login.status_code == 200
    assert "/static/vendor/bootstrap/bootstrap.min." in login.content.decode()
    assert "/static/vendor/bootstrap/bootstrap.min.css" not in login.content.decode()  # the hashed name
    client.force_login(users[Role.COORDINATOR])
    assert client.get("/").status_code in (200, 302)
