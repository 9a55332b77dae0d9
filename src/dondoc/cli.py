"""The `dondoc` command: run, worker, demo, token, parse; any other word goes to Django's management commands."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

USAGE = """usage: dondoc COMMAND [ARGS]

  run [--host H] [--port P] [--workers N]   migrate, then serve the web app and a task worker (Ctrl-C stops both)
  worker                                   run background tasks (imports, reminders); as many as you like
  demo                                     load demo agencies and accounts (demo mode only) and print the logins
  token USERNAME                           create an API token (printed alone on the last line)
  backup FILE / restore FILE [--force]     the database and uploaded files in one archive, and back
  parse FILE [--format json|text]          parse a plan document
  bench-data --plans N --tasks-per-plan M  fill the database with realistic plans for benchmarks
  <django command> ...                     migrate, createsuperuser, check --deploy, load_orgs, shell, ...
"""


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dondoc.settings")
    from django.core.exceptions import ImproperlyConfigured

    from dondoc.config import ConfigError

    try:
        import django

        django.setup()
    except (ImproperlyConfigured, ConfigError) as exc:
        print(f"dondoc: configuration error: {exc}", file=sys.stderr)
        raise SystemExit(2)
    from django.conf import settings

    try:  # a data directory named for the first time: SQLite and the uploads need it to exist
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        print(f"dondoc: cannot create the data directory {settings.DATA_DIR}: {exc.strerror or exc}", file=sys.stderr)
        raise SystemExit(2)


def _manage(argv: list[str]) -> int:
    _setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["dondoc", *argv])
    return 0


WEB_COMMAND = [sys.executable, "-m", "gunicorn", "dondoc.wsgi:application", "-c", "python:dondoc.gunicorn_conf"]
WORKER_COMMAND = [sys.executable, "-m", "dondoc.cli", "worker"]


class Supervised:
    """A child process started again whenever it dies (the task worker beside the web server): waits 1 s, then
    doubling up to a minute while it keeps dying at once, so a broken configuration does not spin."""

    def __init__(self, command: list[str], name: str):
        self.command, self.name = command, name
        self.delay, self.proc, self.started, self.restart_at = 1.0, None, 0.0, 0.0

    def start(self) -> None:
        self.proc, self.started = subprocess.Popen(self.command), time.monotonic()

    def check(self) -> None:
        now = time.monotonic()
        if self.proc is None:
            if now >= self.restart_at:
                self.start()
            return
        code = self.proc.poll()
        if code is None:
            return
        self.delay = 1.0 if now - self.started > 60 else min(self.delay * 2, 60.0)
        print(f"dondoc: the {self.name} exited (code {code}); starting it again in {self.delay:.0f} s", file=sys.stderr,
              flush=True)
        self.proc, self.restart_at = None, now + self.delay


def _run(argv: list[str]) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="dondoc run")
    from dondoc.config import ConfigError, env, env_int

    try:
        host, port, workers = env("DONDOC_HOST", "127.0.0.1"), env("DONDOC_PORT", "8000"), env_int("DONDOC_WEB_WORKERS", 2)
    except ConfigError as exc:
        print(f"dondoc: configuration error: {exc}", file=sys.stderr)
        raise SystemExit(2)
    parser.add_argument("--host", default=host)
    parser.add_argument("--port", default=port)
    parser.add_argument("--workers", type=int, default=workers)
    parser.add_argument("--no-worker", action="store_true", help="Do not start a task worker beside the web server.")
    args = parser.parse_args(argv)
    _setup_django()
    from django.conf import settings
    from django.core.management import call_command

    settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
    call_command("migrate", interactive=False, verbosity=0)
    if settings.PRODUCTION:
        call_command("collectstatic", interactive=False, verbosity=0)
    from django.db import connections

    connections.close_all()  # the children open their own
    web = subprocess.Popen([*WEB_COMMAND, "--bind", f"{args.host}:{args.port}", "--workers", str(args.workers)])
    worker = None if args.no_worker else Supervised(WORKER_COMMAND, "task worker")
    if worker is not None:
        worker.start()
    print(f"dondoc is serving on http://{args.host}:{args.port}/  (Ctrl-C to stop)", flush=True)

    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    # The web server is the service: while it runs, a dead worker is started again; when it stops, everything stops.
    try:
        while not stopping and web.poll() is None:
            if worker is not None:
                worker.check()
            try:
                web.wait(timeout=1)
            except subprocess.TimeoutExpired:
                pass
    except KeyboardInterrupt:
        pass
    finally:
        for proc in (web, worker.proc if worker else None):
            if proc is not None and proc.poll() is None:
                proc.terminate()
        for proc in (web, worker.proc if worker else None):
            if proc is None:
                continue
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
    return web.returncode or 0


def _start_scheduler():
    """The reminder scheduler beside the task queue (notify/scheduler.py): a daemon thread, stopped by the event."""
    from dondoc.notify.scheduler import start

    return start()


def _worker(argv: list[str]) -> int:
    """`dondoc worker [--no-scheduler] [db_worker options]`: the task queue, and every minute the reminder sweep and
    the digest e-mails (safe on any number of workers at once)."""
    _setup_django()
    from django.core.management import call_command

    scheduler = "--no-scheduler" not in argv
    argv = [a for a in argv if a != "--no-scheduler"]
    stop = _start_scheduler() if scheduler else None
    try:
        call_command("db_worker", *argv)
    except KeyboardInterrupt:
        pass
    finally:
        if stop is not None:
            stop.set()
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(USAGE)
        return 0
    command, rest = argv[0], argv[1:]
    if command == "parse":
        from dondoc.parsing.cli import main as parse_main

        return parse_main(rest)
    if command == "run":
        return _run(rest)
    if command == "worker":
        return _worker(rest)
    # `dondoc bench-data` is Django's `bench_data`: commands read better with hyphens.
    return _manage([command.replace("-", "_"), *rest])


if __name__ == "__main__":
    raise SystemExit(main())
