"""`dondoc run`: gunicorn and a supervised task worker; a dead worker is started again, the web keeps serving."""

import os
import signal

import pytest

from .conftest import free_port, get, wait_for

pytestmark = pytest.mark.once  # process supervision: the same on either database


def _children(pid: int) -> dict[int, str]:
    out = {}
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            kids = open(f"/proc/{pid}/task/{task}/children").read().split()
        except OSError:
            continue
        for kid in map(int, kids):
            try:
                out[kid] = open(f"/proc/{kid}/cmdline").read().replace("\0", " ")
            except OSError:
                pass
    return out


def _worker_pid(pid: int) -> int | None:
    return next((k for k, cmd in _children(pid).items() if "dondoc.cli worker" in cmd), None)


def test_a_killed_worker_is_started_again_and_the_web_keeps_serving(scratch):
    port = free_port()
    run = scratch.popen("run", "--port", str(port), "--workers", "1")
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(lambda: get(base + "/dang-nhap/") == 200, timeout=120, what="the web server")
        first = wait_for(lambda: _worker_pid(run.pid), what="the worker")
        os.kill(first, signal.SIGKILL)
        second = wait_for(lambda: (p := _worker_pid(run.pid)) and p != first and p, timeout=30, what="a new worker")
        assert second != first
        assert run.poll() is None
        assert get(base + "/dang-nhap/") == 200
        # gunicorn's control socket is off: two instances on one machine cannot overwrite each other's.
        assert not list(scratch.data_dir.rglob("gunicorn.ctl"))
    finally:
        run.send_signal(signal.SIGTERM)
        run.wait(timeout=30)
    assert not _alive(first) and not _alive(second)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie not yet reaped by its (gone) parent counts as dead
    try:
        return open(f"/proc/{pid}/stat").read().split()[2] != "Z"
    except OSError:
        return False
