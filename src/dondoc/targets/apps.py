from django.apps import AppConfig


class TargetsConfig(AppConfig):
    name = "dondoc.targets"
    label = "targets"
    verbose_name = "Chỉ tiêu"
