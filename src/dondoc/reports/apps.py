from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "dondoc.reports"
    label = "reports"
    verbose_name = "Báo cáo"

    def ready(self):
        from . import pdf  # noqa: F401  (registers the PDF conversion's job kind with plans/jobs.py)
        from . import receivers  # noqa: F401  (plans/signals.py: report deadlines follow an amended plan date)
