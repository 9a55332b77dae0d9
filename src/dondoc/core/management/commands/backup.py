from django.core.management.base import BaseCommand, CommandError

from dondoc.core.backup import BackupError, backup


class Command(BaseCommand):
    help = ("Write one archive with the database and the uploaded files (a manifest with checksums inside). Safe "
            "while dondoc serves and workers write. FILE ending in .gz is compressed.")

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, **options):
        try:
            manifest = backup(options["file"])
        except BackupError as exc:
            raise CommandError(str(exc))
        files = len(manifest["files"]) - 1
        rows = sum(manifest["rows"].values())
        self.stdout.write(f"{options['file']}: {manifest['database']['vendor']} database ({rows} rows), {files} files")
