"""`make run` without a mail server: the demo accounts have addresses (in the reserved .invalid domain), e-mail is
written as .eml files to the data directory's mail folder (DONDOC_EMAIL_FOLDER), and the page "Thư đã ghi" shows
each person their own."""

import datetime as dt
import email
import email.policy
import re

import pytest
from django.core.management import call_command

from dondoc.accounts.models import User
from dondoc.demo.loader import load_demo

SUBJECT = "[dondoc] Nhắc việc ngày 15/10/2024: 3 nhiệm vụ quá hạn, 2 báo cáo định kỳ"


@pytest.fixture
def folder(settings, tmp_path):
    """What DONDOC_EMAIL_FOLDER=1 sets (settings.py), the folder under this test's own directory."""
    path = tmp_path / "mail"
    settings.EMAIL_BACKEND = "dondoc.core.mail.FolderBackend"
    settings.EMAIL_FILE_PATH = settings.EMAIL_FOLDER = path
    return path


@pytest.fixture
def demo(db, settings, folder):
    settings.DEMO_TODAY = dt.date(2024, 10, 15)  # the Makefile's demo day
    load_demo()
    call_command("send_reminders", "--all")  # the sweep and the digests, as the worker runs them
    return folder


def read(path):
    return email.message_from_bytes(path.read_bytes(), policy=email.policy.default)


def test_the_demo_digest_reaches_the_folder(demo):
    assert User.objects.get(username="stc.canbo").email == "stc.canbo@example.invalid"
    files = sorted(demo.glob("*.eml"))
    mine = [m for m in map(read, files) if m["To"] == "stc.canbo@example.invalid"]
    assert len(mine) == 1
    message = mine[0]
    assert str(message["Subject"]) == SUBJECT
    text = message.get_body(("plain",)).get_content()
    assert text.startswith("Kính gửi Cán bộ đầu mối Sở Tài chính (minh họa),")
    assert "- 1.1#2: tập trung hoàn thành 02 chỉ tiêu năm 2023" in text and "hạn 30/09/2024, quá hạn 15 ngày" in text
    assert not list(demo.glob(".*.tmp"))  # every file was written whole, then renamed


def test_a_second_run_sends_nothing_again_and_old_accounts_get_addresses(demo):
    before = len(list(demo.glob("*.eml")))
    call_command("send_reminders", "--all")
    assert len(list(demo.glob("*.eml"))) == before
    User.objects.filter(username="sct.canbo").update(email="")  # a demo account made before addresses
    load_demo()
    assert User.objects.get(username="sct.canbo").email == "sct.canbo@example.invalid"


def test_the_page_shows_each_person_their_own_mail(client, demo):
    client.force_login(User.objects.get(username="stc.canbo"))
    page = client.get("/nhac-viec/thu-da-ghi/").content.decode()
    assert SUBJECT in page and "1 thư." in page and "tới stc.canbo@example.invalid" in page
    assert "syt.canbo@example.invalid" not in page
    client.force_login(User.objects.get(username="admin"))
    page = client.get("/nhac-viec/thu-da-ghi/").content.decode()
    total = len(list(demo.glob("*.eml")))
    assert total > 30 and f"{total} thư, hiện 50 thư mới nhất." in page
    shown = set(re.findall(r"tới ([\w.-]+@example\.invalid)", page))
    assert len(shown) > 30  # everyone's mail, not only the admin's own
    assert "Thư đã ghi (chạy thử)" in client.get("/nhac-viec/").content.decode()  # linked from the reminders


def test_without_an_address_the_page_says_why(client, users, folder):
    client.force_login(users["focal"])
    response = client.get("/nhac-viec/thu-da-ghi/")
    assert response.status_code == 200 and "chưa có địa chỉ e-mail" in response.content.decode()


def test_no_page_where_mail_is_sent(client, users, settings):
    settings.EMAIL_FOLDER = None
    client.force_login(users["admin"])
    assert client.get("/nhac-viec/thu-da-ghi/").status_code == 404
    assert "Thư đã ghi" not in client.get("/nhac-viec/").content.decode()
