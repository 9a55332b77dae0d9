"""`dondoc backup` while a writer posts progress with evidence, then `dondoc restore` into a fresh data directory and
database: every row the archive holds is back, no update is missing from the middle, every evidence file downloads
(200). A damaged or foreign archive is refused before anything is written."""

import contextlib
import io
import json
import os
import subprocess
import sys
import tarfile
import threading
import time

from .conftest import Scratch, _scratch_postgres, on_postgres, scratch_env, wait_for

DEMO = {"DONDOC_TODAY": "2024-10-15"}
WRITER = """
import os
from django.core.files.uploadedfile import SimpleUploadedFile
from dondoc.accounts.models import User
from dondoc.plans.models import Assignment
from dondoc.tracking.actions import do_post_update
PDF = b"%PDF-1.4\\n1 0 obj<<>>endobj\\ntrailer<<>>\\n%%EOF\\n"
u = User.objects.get(username="stc.canbo")
a = Assignment.objects.filter(agency_id=u.agency_id, role="lead", ended_at__isnull=True,
                              task__cancelled_at__isnull=True, task__plan__status="published").order_by("pk").first()
n = 0
while not os.path.exists(os.environ["STOP"]) and n < 2000:
    update = do_post_update(a, u, text=f"Tiến độ lần {n}", files=[SimpleUploadedFile(f"mc-{n}.pdf", PDF + bytes([n % 256]))])
    print(update.pk, flush=True)
    n += 1
"""
CHECK = """
from django.test import Client
from dondoc.tracking.models import Evidence, Update
statuses = {}
for ev in Evidence.objects.select_related("update__author"):
    c = Client()
    c.force_login(ev.update.author)
    r = c.get(f"/minh-chung/{ev.pk}/")
    statuses[r.status_code] = statuses.get(r.status_code, 0) + 1
    assert b"".join(r.streaming_content).startswith(b"%PDF-1.4"), ev.pk
print(json.dumps({"updates": sorted(Update.objects.values_list("pk", flat=True)), "downloads": statuses}))
"""


@contextlib.contextmanager
def _fresh(tmp_path, name):
    data = tmp_path / name
    data.mkdir()
    with contextlib.ExitStack() as stack:
        url = (stack.enter_context(_scratch_postgres(os.environ["DATABASE_URL"])) if on_postgres()
               else f"sqlite:///{data / 'dondoc.sqlite3'}")
        yield Scratch(scratch_env(data, url, **DEMO), data)


def test_backup_under_write_load_then_restore_into_a_fresh_data_directory(scratch, tmp_path):
    scratch.run("demo", "--quiet", timeout=600, **DEMO)
    stop = tmp_path / "stop"
    writer = subprocess.Popen([sys.executable, "-m", "dondoc.cli", "shell", "-c", WRITER],
                              env={**scratch.env, **DEMO, "STOP": str(stop)}, stdout=subprocess.PIPE, text=True)
    written: list[int] = []
    reader = threading.Thread(target=lambda: written.extend(int(line) for line in writer.stdout if line.strip().isdigit()),
                              daemon=True)
    reader.start()
    archive = tmp_path / "dondoc.tar.gz"
    try:
        wait_for(lambda: len(written) >= 5, timeout=120, what="the writer's first updates")
        before = list(written)
        result = scratch.run("backup", str(archive), **DEMO)
        time.sleep(0.5)  # the writer goes on after the snapshot
    finally:
        stop.touch()
        writer.wait(timeout=60)
        reader.join(timeout=10)
    assert "files" in result.stdout and writer.returncode == 0
    assert len(written) > len(before)

    with _fresh(tmp_path, "restored") as fresh:
        fresh.run("restore", str(archive))
        report = json.loads(fresh.shell("import json\n" + CHECK))
    restored = report["updates"]
    mine = [pk for pk in restored if pk in set(written)]
    assert set(before) <= set(mine)  # everything committed before the backup began
    assert mine == sorted(written)[:len(mine)]  # a consistent snapshot: no update missing from the middle
    assert set(report["downloads"]) == {"200"} and report["downloads"]["200"] >= len(mine)  # every evidence file

    # Restoring again over the restored data is refused without --force.
    with _fresh(tmp_path, "twice") as again:
        again.run("restore", str(archive))
        refused = again.run("restore", str(archive), check=False)
        assert refused.returncode != 0 and "not empty" in refused.stderr


def _rewrite(source, target, change):
    """A copy of the archive with one member's bytes changed by `change(name, data)`."""
    with tarfile.open(source) as src, tarfile.open(target, "w") as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read() if member.isfile() else None
            data = change(member.name, data)
            member.size = len(data) if data is not None else 0
            dst.addfile(member, None if data is None else io.BytesIO(data))


def test_restore_refuses_a_damaged_or_foreign_archive(scratch, tmp_path):
    upload = scratch.data_dir / "media" / "evidence" / "x.pdf"
    upload.parent.mkdir(parents=True)
    upload.write_bytes(b"%PDF-1.4 evidence")
    archive = tmp_path / "good.tar"
    scratch.run("backup", str(archive))
    damaged = tmp_path / "damaged.tar"
    _rewrite(archive, damaged, lambda name, data: data + b"!" if name.endswith("x.pdf") else data)
    newer = tmp_path / "newer.tar"

    def future(name, data):
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["migrations"].append(["plans", "9999_from_the_future"])
        return json.dumps(manifest).encode()

    _rewrite(archive, newer, future)
    foreign = tmp_path / "foreign.tar"
    _rewrite(archive, foreign, lambda name, data: json.dumps({"format": "other"}).encode() if name == "manifest.json" else data)
    other_kind = tmp_path / "other-kind.tar"

    def kind(name, data):
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["database"]["vendor"] = "sqlite" if on_postgres() else "postgresql"
        return json.dumps(manifest).encode()

    _rewrite(archive, other_kind, kind)
    with _fresh(tmp_path, "target") as fresh:
        for bad, message in ((damaged, "checksum mismatch"), (newer, "newer dondoc"), (foreign, "not a dondoc backup"),
                             (other_kind, "same kind of database"), (tmp_path / "missing.tar", "no such file")):
            result = fresh.run("restore", str(bad), check=False)
            assert result.returncode != 0 and message in result.stderr, (bad.name, result.stderr[-500:])
            assert "Traceback" not in result.stderr
        assert not (fresh.data_dir / "media").exists()  # nothing was written
        fresh.run("restore", str(archive))
        assert (fresh.data_dir / "media" / "evidence" / "x.pdf").read_bytes() == b"%PDF-1.4 evidence"
