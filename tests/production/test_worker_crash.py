"""kill -9 of a real `dondoc worker` in the middle of a plan import: no partial plan, the job is reclaimed by the next
worker's scheduler and the import completes once."""

import os
import signal
import time
from pathlib import Path

from .conftest import wait_for

PLAN78 = Path(__file__).resolve().parents[1] / "fixtures" / "plan78" / "source.txt"
AGENCIES = ["Sở Tài chính", "Sở Y tế", "Sở Nội vụ", "Sở Xây dựng", "Sở Giáo dục và Đào tạo"]


def big_plan(blocks: int, per_block: int) -> str:
    """Plan 78's head and tail around `blocks` × `per_block` dated tasks: long enough to kill the worker mid-way."""
    lines = PLAN78.read_text(encoding="utf-8").split("\n")
    head = lines[:lines.index("II. NỘI DUNG, NHIỆM VỤ, GIẢI PHÁP") + 1]
    tail = lines[lines.index("III. TỔ CHỨC THỰC HIỆN"):]
    body, n = ["", "1. Về cải cách hành chính", ""], 0
    for b in range(1, blocks + 1):
        body += [f"1.{b}. {AGENCIES[b % len(AGENCIES)]}", ""]
        for _ in range(per_block):
            n += 1
            body += [f"- Triển khai nhiệm vụ số {n} về cải cách hành chính, hoàn thành trước ngày 30/9/2024.", ""]
    return "\n".join(head + body + tail)


def test_kill_9_mid_import_then_the_job_is_reclaimed_and_completes(scratch):
    text = scratch.data_dir / "ke-hoach-lon.txt"
    text.write_text(big_plan(80, 100), encoding="utf-8")
    scratch.run("load_orgs")
    job_id = int(scratch.shell(
        "from dondoc.accounts.models import User; from dondoc.plans.jobs import start_plan_import\n"
        "u = User.objects.create(username='tonghop', role='coordinator')\n"
        f"print(start_plan_import(u, 'ke-hoach-lon.txt', open({str(text)!r}, 'rb').read()).pk)"))
    stale = {"DONDOC_JOB_STALE_SECONDS": "3"}

    worker = scratch.popen("worker", **stale)
    try:
        wait_for(lambda: scratch.sql("SELECT progress FROM plans_job WHERE id = %s", (job_id,))[0][0] >= 92,
                 timeout=120, interval=0.02, what="the import to reach 92 %")
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
    state, progress = scratch.sql("SELECT state, progress FROM plans_job WHERE id = %s", (job_id,))[0]
    assert (state, progress) == ("running", 92)  # as the dead worker left it
    assert scratch.sql("SELECT COUNT(*) FROM plans_plan") == [(0,)]  # no partial plan

    time.sleep(4)  # the heartbeat is stale by the time the next worker's scheduler first looks
    worker = scratch.popen("worker", **stale)
    try:
        wait_for(lambda: scratch.sql("SELECT state FROM plans_job WHERE id = %s", (job_id,))[0][0] in ("done", "failed"),
                 timeout=180, what="the retried import to end")
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=30)
    state, attempts, plan_id, error = scratch.sql(
        "SELECT state, attempts, plan_id, error FROM plans_job WHERE id = %s", (job_id,))[0]
    assert (state, attempts) == ("done", 2), error
    assert scratch.sql("SELECT COUNT(*) FROM plans_plan") == [(1,)]
    # every generated task once: the retry made one draft, not a second one beside a partial first
    assert scratch.sql("SELECT COUNT(*), COUNT(DISTINCT text) FROM plans_task WHERE plan_id = %s AND text LIKE %s",
                       (plan_id, "Triển khai nhiệm vụ số %")) == [(8000, 8000)]
    actions = [a for (a,) in scratch.sql("SELECT action FROM audit_event ORDER BY id")]
    assert actions.count("job.retried") == 1 and actions.count("plan.imported") == 1
