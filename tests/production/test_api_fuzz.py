"""Schemathesis against the OpenAPI schema, every operation, with a coordinator's and a focal point's token: no 5xx,
every answer as the schema says (status, content type, body), invalid input refused (tests/api/schemathesis.toml
says which refusals of schema-valid input the domain allows). A real gunicorn on the demo data; bounded examples,
a fixed seed. Marked `once`: CI runs it in one of its two database passes."""

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import free_port, get, wait_for

pytestmark = pytest.mark.once
CONFIG = Path(__file__).resolve().parents[1] / "api" / "schemathesis.toml"


def test_the_api_answers_as_its_schema_says(scratch):
    demo = {"DONDOC_TODAY": "2024-10-15"}
    scratch.run("demo", timeout=600, **demo)
    tokens = {user: scratch.run("token", user).stdout.strip().splitlines()[-1] for user in ("tonghop", "stc.canbo")}
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "dondoc.wsgi:application", "-c",
                               "python:dondoc.gunicorn_conf", "--bind", f"127.0.0.1:{port}", "--workers", "2",
                               "--access-logfile", os.devnull], env={**scratch.env, **demo})
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: get(base + "/dang-nhap/") == 200, timeout=60, what="gunicorn")
        failures = []
        for seed, (user, token) in enumerate(tokens.items(), start=1):
            result = subprocess.run(
                [sys.executable, "-m", "schemathesis.cli", "--config-file", str(CONFIG), "run",
                 f"{base}/api/v1/openapi.json", "--checks", "all", "-H", f"Authorization: Bearer {token}",
                 "--max-examples", "10", "--seed", str(seed), "--generation-database", "none", "--no-color"],
                capture_output=True, text=True, timeout=900, cwd=scratch.data_dir)  # its report folder goes there
            if result.returncode != 0:
                failures.append(f"--- as {user} (exit {result.returncode}):\n{result.stdout[-6000:]}{result.stderr[-2000:]}")
        assert not failures, "\n".join(failures)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
