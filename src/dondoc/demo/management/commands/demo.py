from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from dondoc.demo.loader import DEMO_EMAIL_DOMAIN, DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Load the demo data (agencies, one account per role and agency) and print the demo logins. Demo mode only."

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="Do not print the account list.")

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("Demo data is refused in production mode (DONDOC_PRODUCTION=1).")
        summary = load_demo()
        if options["quiet"]:
            return
        out = self.stdout
        out.write("")
        out.write(f"Demo accounts (password for all: {DEMO_PASSWORD})")
        out.write("  admin       quản trị hệ thống")
        out.write("  lanhdao     lãnh đạo UBND tỉnh")
        out.write("  tonghop     cơ quan theo dõi, tổng hợp (Sở Kế hoạch và Đầu tư)")
        out.write("  xem         chỉ xem (thanh tra)")
        out.write("  <mã>.truong thủ trưởng, <mã>.canbo cán bộ đầu mối, for each agency code:")
        codes = summary["codes"]
        for i in range(0, len(codes), 8):
            out.write("    " + "  ".join(codes[i:i + 8]))
        out.write("  e.g. skhdt.canbo, stc.truong, ubnd-nahang.canbo")
        out.write(f"  each with the address <login>@{DEMO_EMAIL_DOMAIN} (e.g. stc.canbo@{DEMO_EMAIL_DOMAIN})")
        if settings.EMAIL_FOLDER is not None:
            out.write(f"E-mail is not sent: each message is written to {settings.EMAIL_FOLDER}/ as a .eml file; signed in, "
                      f"read them at {settings.DONDOC_BASE_URL}{reverse('notify:mail_folder')} "
                      "(admin: everyone's; anyone else: their own).")
        else:
            out.write(f"E-mail goes to the SMTP server {settings.EMAIL_HOST}:{settings.EMAIL_PORT} "
                      "(DONDOC_EMAIL_FOLDER=1 writes it to a folder instead, as `make run` does).")
        plan = summary["plan"]
        if plan is not None:
            out.write(f"Plan {plan.number}: {plan.tasks.count()} tasks, published ({plan.get_status_display()}).")
            for child in plan.children.select_related("owner"):
                out.write(f"  carried out by {child.owner.name}'s plan {child.number}: {child.tasks.count()} tasks, "
                          f"{child.tasks.exclude(implements=None).count()} linked to Plan {plan.number}'s.")
