import datetime as dt
import email
import email.policy
import socket
import threading

import pytest

from tests.tracking.conftest import lead, partner, people, plan, today  # noqa: F401 - fixtures reused

HOUR = dt.timezone(dt.timedelta(hours=7))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox:
    """What a real SMTP server (aiosmtpd) received: parsed messages, with their envelope recipients."""

    def __init__(self):
        self.lock = threading.Lock()
        self.received: list[tuple[list[str], email.message.EmailMessage]] = []
        self.raw: list[bytes] = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.received.append((list(envelope.rcpt_tos), message))
            self.raw.append(envelope.content)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list:
        return [m for rcpt, m in self.received if address in rcpt]


class SMTPServer:
    def __init__(self, port: int):
        self.port, self.inbox, self.controller = port, Inbox(), None

    def start(self):
        from aiosmtpd.controller import Controller

        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp_settings(settings):
    """Django's real SMTP backend (not locmem), pointed at a free local port; the server is started by `smtp`."""
    port = free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10
    settings.DEFAULT_FROM_EMAIL = "dondoc <dondoc@tuyenquang.gov.vn>"
    return port


@pytest.fixture
def smtp(smtp_settings):
    server = SMTPServer(smtp_settings)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def with_emails(people):
    """Agency people with e-mail addresses (the fixture accounts have none)."""
    for key, user in people.items():
        user.email = f"{user.username}@tuyenquang.gov.vn"
        user.save()
    return people


def set_due(task, day):
    """Give a task its own deadline; the status cache follows through the signals."""
    task.deadline_date, task.deadline_text = day, ""
    task.save()
    return task


def at(day: dt.date, hour: int = 23) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=HOUR)
