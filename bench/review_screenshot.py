"""Re-shoot docs/review-screen.png: a coordinator uploads a plan through the upload page and the review screen's
first screen (1366×768, as a laptop shows it) is saved.

    .venv/bin/python bench/review_screenshot.py [PLAN.docx] [-o docs/review-screen.png]

A scratch data directory and SQLite database (nothing in var/ is touched), the Tuyên Quang organisation data,
one coordinator account, gunicorn and the task worker as `make run` starts them, Debian's /usr/bin/chromium.
Not a benchmark and not a test: run it when the parser changes and look at the picture.
"""

from __future__ import annotations

import argparse
import os
import secrets
import subprocess
import sys
from pathlib import Path

from common import dondoc, gunicorn, scratch_env

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PLAN = ROOT / "tests" / "fixtures" / "plans" / "22_lamdong-kh-tuyen-truyen-cchc-2026.docx"
CHROMIUM = os.environ.get("DONDOC_CHROMIUM", "/usr/bin/chromium")

MAKE_COORDINATOR = """
from dondoc.accounts.models import User
from dondoc.orgs.models import Agency
user = User(username="tonghop", role="coordinator", full_name="Chuyên viên tổng hợp",
            agency=Agency.objects.get(code="skhdt"))
user.set_password({password!r})
user.save()
print("ok")
"""


def shoot(plan: Path, out: Path, env: dict, base: str, password: str) -> str:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_context(locale="vi-VN", viewport={"width": 1366, "height": 768}).new_page()
        page.set_default_timeout(30000)
        page.goto(base + "/dang-nhap/")
        page.get_by_label("Tên đăng nhập").fill("tonghop")
        page.get_by_label("Mật khẩu").fill(password)
        page.get_by_role("button", name="Đăng nhập").click()
        page.get_by_role("link", name="Kế hoạch").first.click()
        page.get_by_role("link", name="Tải lên kế hoạch").click()
        page.get_by_label("Tệp kế hoạch").set_input_files(str(plan))
        page.get_by_role("button", name="Tải lên và đọc văn bản").click()
        expect(page.get_by_role("progressbar")).to_be_visible()
        subprocess.run([sys.executable, "-m", "dondoc.cli", "db_worker", "--batch", "--no-startup-delay"], env=env,
                       check=True, capture_output=True)
        expect(page.locator("#job-message")).to_contain_text("Hoàn tất")
        page.get_by_role("link", name="Rà soát kết quả").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Rà soát bản nháp")
        page.wait_for_function("window.htmx !== undefined")
        out.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(out))  # the first screen only, as the coordinator first sees it
        summary = page.locator("h1").inner_text() + " | " + page.locator("#review-order").inner_text().replace("\n", " ")
        browser.close()
    return summary


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("plan", nargs="?", type=Path, default=DEFAULT_PLAN)
    parser.add_argument("-o", "--output", type=Path, default=ROOT / "docs" / "review-screen.png")
    args = parser.parse_args()
    if not args.plan.is_file():
        print(f"no such file: {args.plan}", file=sys.stderr)
        return 2
    password = secrets.token_urlsafe(12)
    with scratch_env() as env:
        env["DONDOC_2FA_ROLES"] = "admin"   # the scratch coordinator signs in with a password only
        dondoc(env, "migrate", "--noinput", "-v", "0")
        dondoc(env, "load_orgs")
        dondoc(env, "shell", "-c", MAKE_COORDINATOR.format(password=password))
        with gunicorn(env) as base:
            summary = shoot(args.plan.resolve(), args.output.resolve(), env, base, password)
    print(f"{args.output}: {summary}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
