from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dondoc.orgs import reorganisation


class Command(BaseCommand):
    help = ("Read a reorganisation sheet (.xlsx: Cơ quan | Ngày cuối cùng | Cơ quan kế thừa | Lĩnh vực tiếp nhận | "
            "Từ ngày) and show what it changes; --apply writes it, all or nothing.")

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--apply", action="store_true", help="Write the changes (without it: a preview only).")

    def handle(self, *args, **options):
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(f"No file {path}.")
        try:
            preview = reorganisation.read(path.read_bytes())
        except reorganisation.SheetRefused as exc:
            raise CommandError(str(exc))
        for c in preview.changes:
            fields = f" ({c.fields})" if c.fields else ""
            self.stdout.write(f"{c.agency.name}: last day {c.last_day:%d/%m/%Y} → {c.successor.name}{fields} "
                              f"from {c.date:%d/%m/%Y}")
        if options["apply"]:
            n = reorganisation.apply(preview)
            self.stdout.write(f"Written: {n} successions.")
        else:
            self.stdout.write("Preview only: nothing written (add --apply).")
