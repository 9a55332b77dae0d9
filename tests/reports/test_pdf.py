"""The consolidated report as PDF: asked for on the page, converted by the real worker with the real LibreOffice
(no request waits for it), offered for download to the person who asked and to no one else."""

import shutil
import subprocess

import pytest

from dondoc.audit.models import Event
from dondoc.plans.models import Job, JobState
from tests.plans.test_views import run_worker

FORM = {"ky": "2024", "ngay": "2024-12-13", "nguoi_ky": "Nguyễn Văn A", "bieu_do": "0"}


@pytest.fixture(autouse=True)
def libreoffice():
    if not (shutil.which("soffice") or shutil.which("libreoffice")) or shutil.which("pdftotext") is None:
        pytest.skip("LibreOffice or poppler-utils is not installed (Debian: libreoffice-writer-nogui, poppler-utils)")


@pytest.mark.django_db(transaction=True)
def test_the_pdf_is_made_in_the_background_and_downloaded(client, people, plan, tmp_path):
    client.force_login(people["coordinator"])
    response = client.post(f"/bao-cao/ke-hoach/{plan.pk}/tong-hop.pdf", FORM)
    job = Job.objects.get(kind="report_pdf")
    assert response.status_code == 302 and response.url == f"/bao-cao/pdf/{job.pk}/"
    assert job.state == JobState.QUEUED and job.created_by == people["coordinator"] and job.plan_id == plan.pk
    page = client.get(response.url).content.decode()
    assert "Đang chờ" in page and "Tải tệp PDF" not in page and 'hx-trigger="every 1s"' in page
    assert client.get(f"/bao-cao/pdf/{job.pk}/tai-ve/").status_code == 404  # nothing to download yet

    run_worker()
    job.refresh_from_db()
    assert job.state == JobState.DONE and job.progress == 100
    page = client.get(f"/bao-cao/pdf/{job.pk}/").content.decode()
    assert "Tải tệp PDF" in page and "hx-trigger" not in page  # the page stops asking
    response = client.get(f"/bao-cao/pdf/{job.pk}/tai-ve/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Bao-cao-tong-hop-12-KH-UBND-2024.pdf"'
    pdf = tmp_path / "bao-cao.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    # The request's choices went with the job: the date and the signer typed on the page.
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "ngày 13 tháng 12 năm 2024" in text and "Nguyễn Văn A" in text
    assert Event.objects.filter(action="report.pdf_requested", object_id=str(plan.pk)).exists()
    assert Event.objects.filter(action="file.downloaded", changes__file="Bao-cao-tong-hop-12-KH-UBND-2024.pdf").exists()


@pytest.mark.django_db(transaction=True)
def test_only_the_person_who_asked_sees_the_job(client, people, plan):
    client.force_login(people["coordinator"])
    client.post(f"/bao-cao/ke-hoach/{plan.pk}/tong-hop.pdf", FORM)
    job = Job.objects.get(kind="report_pdf")
    run_worker()
    client.force_login(people["leader"])  # may make a PDF of their own, not open the coordinator's
    assert client.get(f"/bao-cao/pdf/{job.pk}/").status_code == 404
    assert client.get(f"/bao-cao/pdf/{job.pk}/tai-ve/").status_code == 404
    client.force_login(people["lead_focal"])
    assert client.post(f"/bao-cao/ke-hoach/{plan.pk}/tong-hop.pdf", FORM).status_code == 403
    assert client.get(f"/bao-cao/pdf/{job.pk}/").status_code == 403
    client.force_login(people["coordinator"])
    assert client.get(f"/bao-cao/ke-hoach/{plan.pk}/tong-hop.pdf?ky=2024").status_code == 405  # a GET makes nothing
    # A PDF job is not a plan import: the import pages do not know it.
    assert client.get(f"/ke-hoach/tai-len/{job.pk}/").status_code == 404
    assert Job.objects.filter(kind="report_pdf").count() == 1
