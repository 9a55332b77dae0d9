"""The coordinator asks for the consolidated report as PDF: the page shows the job's progress, the worker converts
it with LibreOffice, the page offers the file without a reload, and the file is a PDF of the report."""

import datetime as dt
import shutil
import subprocess

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from dondoc.demo.loader import load_demo

from .test_tracking_flow import login


def test_pdf_is_made_by_the_worker_and_offered_on_the_page(live_server, page, transactional_db, settings, tmp_path):
    if not (shutil.which("soffice") or shutil.which("libreoffice")) or shutil.which("pdftotext") is None:
        pytest.skip("LibreOffice or poppler-utils is not installed (Debian: libreoffice-writer-nogui, poppler-utils)")
    settings.DEMO_TODAY = dt.date(2024, 12, 9)
    plan = load_demo()["plan"]
    login(page, live_server.url, "tonghop")
    page.goto(f"{live_server.url}/bao-cao/ke-hoach/{plan.pk}/tong-hop/?ky=2024")
    # Typed, then straight to the PDF (no "Xem số liệu"): the PDF carries what the form says now.
    page.get_by_label("Người ký (không bắt buộc)").fill("Nguyễn Văn Thử")
    page.get_by_role("button", name="Tải PDF").click()
    expect(page.get_by_role("progressbar")).to_be_visible()
    expect(page.locator("#job-message")).to_contain_text("Đang chờ")

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)  # the worker `make run` starts
    expect(page.locator("#job-message")).to_contain_text("Hoàn tất", timeout=20000)  # polled, no reload
    with page.expect_download() as info:
        page.get_by_role("link", name="Tải tệp PDF").click()
    download = info.value
    assert download.suggested_filename == "Bao-cao-tong-hop-78-KH-UBND-2024.pdf"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "BÁO CÁO" in text and "78/KH-UBND" in text
    assert "Nguyễn Văn Thử" in text
