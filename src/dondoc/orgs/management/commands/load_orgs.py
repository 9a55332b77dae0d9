from django.core.management.base import BaseCommand

from dondoc.orgs.loader import DEFAULT_FIXTURE, load_orgs


class Command(BaseCommand):
    help = "Load agencies, successions and groups from a JSON file (default: the Tuyên Quang fixture)."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(DEFAULT_FIXTURE))

    def handle(self, *args, **options):
        counts = load_orgs(options["path"])
        self.stdout.write("Loaded {agencies} agencies, {successions} successions, {groups} groups.".format(**counts))
