"""Background jobs that survive their worker: heartbeat, reclaim (retry once, then fail visibly), restart."""

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from dondoc.accounts.roles import Role
from dondoc.audit.models import Event
from dondoc.plans import jobs
from dondoc.plans.models import Job, JobState, Plan

from .test_views import run_worker

PLAN78 = Path(__file__).resolve().parents[1] / "fixtures" / "plan78" / "source.txt"


def _dead_job(user, *, attempts: int, minutes_ago: int = 30) -> Job:
    """A job as a worker killed mid-import leaves it: running, its queue row running, no heartbeat since."""
    job = jobs.start_plan_import(user, "ke-hoach-78.txt", PLAN78.read_bytes())
    DBTaskResult.objects.filter(id=Job.objects.get(pk=job.pk).task_id).update(status="RUNNING")
    Job.objects.filter(pk=job.pk).update(state=JobState.RUNNING, progress=92, attempts=attempts,
                                         heartbeat_at=timezone.now() - dt.timedelta(minutes=minutes_ago))
    job.refresh_from_db()
    return job


@pytest.mark.django_db(transaction=True)
def test_a_job_whose_worker_died_is_retried_once_and_completes(users, orgs):
    job = _dead_job(users[Role.COORDINATOR], attempts=1)
    dead_task = job.task_id
    assert jobs.reclaim_stale_jobs() == {"retried": 1, "failed": 0}
    job.refresh_from_db()
    assert job.state == JobState.QUEUED and job.task_id != dead_task
    assert DBTaskResult.objects.get(id=dead_task).status == "FAILED"  # the dead worker's queue row is closed
    assert Event.objects.filter(action="job.retried", object_id=str(job.pk)).exists()
    assert jobs.reclaim_stale_jobs() == {"retried": 0, "failed": 0}  # nothing running: nothing more to take

    run_worker()
    job.refresh_from_db()
    assert job.state == JobState.DONE and job.attempts == 2 and job.plan is not None
    assert Plan.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_job_that_died_twice_fails_visibly_and_can_be_restarted(client, users, orgs):
    job = _dead_job(users[Role.COORDINATOR], attempts=2)
    assert jobs.reclaim_stale_jobs() == {"retried": 0, "failed": 1}
    job.refresh_from_db()
    assert job.state == JobState.FAILED and job.error == jobs.STALE_ERROR
    client.force_login(users[Role.COORDINATOR])
    page = client.get(f"/ke-hoach/tai-len/{job.pk}/").content.decode()
    assert "Tiến trình xử lý nền bị dừng giữa chừng" in page and 'id="job-restart"' in page

    response = client.post(f"/ke-hoach/tai-len/{job.pk}/chay-lai/")
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.state == JobState.QUEUED and job.error == ""
    assert client.post(f"/ke-hoach/tai-len/{job.pk}/chay-lai/").status_code == 302  # refused, with a message
    run_worker()
    job.refresh_from_db()
    assert job.state == JobState.DONE and Plan.objects.count() == 1
    assert Event.objects.filter(action="job.restarted", object_id=str(job.pk)).exists()


def test_restart_is_refused_to_a_focal_point_and_for_a_job_that_did_not_fail(client, users):
    job = jobs.start_plan_import(users[Role.COORDINATOR], "ke-hoach-78.txt", PLAN78.read_bytes())
    client.force_login(users[Role.FOCAL])
    assert client.post(f"/ke-hoach/tai-len/{job.pk}/chay-lai/").status_code == 403
    client.force_login(users[Role.COORDINATOR])
    client.post(f"/ke-hoach/tai-len/{job.pk}/chay-lai/")
    with pytest.raises(jobs.JobError):
        jobs.do_restart_job(job, users[Role.COORDINATOR])
    job.refresh_from_db()
    assert job.state == JobState.QUEUED


def test_a_job_with_a_recent_heartbeat_is_left_alone(users, settings):
    settings.JOB_STALE_SECONDS = 300
    job = _dead_job(users[Role.COORDINATOR], attempts=1, minutes_ago=2)
    assert jobs.reclaim_stale_jobs() == {"retried": 0, "failed": 0}
    job.refresh_from_db()
    assert job.state == JobState.RUNNING


@pytest.mark.django_db(transaction=True)
def test_a_late_duplicate_task_does_not_import_twice(users, orgs):
    job = jobs.start_plan_import(users[Role.COORDINATOR], "ke-hoach-78.txt", PLAN78.read_bytes())
    jobs.run_plan_import.enqueue(job.pk)  # the same job queued twice (a retry racing a slow worker)
    run_worker()
    job.refresh_from_db()
    assert job.state == JobState.DONE and job.attempts == 1
    assert Plan.objects.count() == 1


def test_api_restarts_a_failed_job(client, users):
    from dondoc.accounts.actions import do_create_token

    job = jobs.start_plan_import(users[Role.COORDINATOR], "ke-hoach-78.txt", PLAN78.read_bytes())
    Job.objects.filter(pk=job.pk).update(state=JobState.FAILED, error="x")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {do_create_token(users[Role.COORDINATOR])[1]}"}
    response = client.post(f"/api/v1/jobs/{job.pk}/restart", **auth)
    assert response.status_code == 202 and response.json()["state"] == "queued"
    assert client.post(f"/api/v1/jobs/{job.pk}/restart", **auth).status_code == 409
    focal = {"HTTP_AUTHORIZATION": f"Bearer {do_create_token(users[Role.FOCAL])[1]}"}
    assert client.post(f"/api/v1/jobs/{job.pk}/restart", **focal).status_code == 403


@pytest.mark.parametrize("state, message, shown", [
    (JobState.DONE, "Hoàn tất", "Hoàn tất"),  # was "Hoàn tất — Hoàn tất"
    (JobState.QUEUED, "Đang chờ xử lý", "Đang chờ xử lý"),  # was "Đang chờ — Đang chờ xử lý"
    (JobState.FAILED, "Lỗi hệ thống", "Lỗi hệ thống"),
    (JobState.FAILED, "Không đọc được tệp", "Lỗi — Không đọc được tệp"),
    (JobState.RUNNING, "Đang nhận dạng trang 2/9", "Đang xử lý — Đang nhận dạng trang 2/9"),
    (JobState.DONE, "", "Hoàn tất"),
])
def test_a_jobs_line_never_says_the_same_words_twice(state, message, shown):
    assert Job(state=state, message=message).status_line == shown


def test_the_finished_job_page_says_it_once(client, users, db):
    job = Job.objects.create(created_by=users[Role.COORDINATOR], upload_name="ke-hoach.txt", state=JobState.DONE,
                             progress=100, message="Hoàn tất")
    client.force_login(users[Role.COORDINATOR])
    page = client.get(f"/ke-hoach/tai-len/{job.pk}/").content.decode()
    assert '<p id="job-message">Hoàn tất</p>' in page
