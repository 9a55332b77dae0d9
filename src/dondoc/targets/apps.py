from django.apps import AppConfig


class TargetsConfig(AppConfig):
    name = "dondoc.targets"
    label = "targets"
    verbose_name = "Chỉ tiêu"

    def ready(self):
        from . import receivers  # noqa: F401  (plans/signals.py: targets created when a plan is published)
