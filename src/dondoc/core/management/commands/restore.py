from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from dondoc.core.backup import BackupError, restore


class Command(BaseCommand):
    help = ("Restore an archive written by `dondoc backup` into this configuration's database and data directory "
            "(stop the web server and the workers first). Refuses an archive whose checksums, database kind or "
            "migrations do not match, and a database or media folder that is not empty unless --force.")

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--force", action="store_true", help="Replace a database and media folder that hold data.")

    def handle(self, *args, **options):
        try:
            manifest = restore(options["file"], force=options["force"])
        except BackupError as exc:
            raise CommandError(str(exc))
        call_command("migrate", interactive=False, verbosity=0)  # an archive from an older dondoc is brought up to date
        rows = sum(manifest["rows"].values())
        self.stdout.write(f"restored {options['file']} (written {manifest['created_at']}): {rows} rows, "
                          f"{len(manifest['files']) - 1} files")
