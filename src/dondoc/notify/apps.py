from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "dondoc.notify"
    label = "notify"
    verbose_name = "Nhắc việc, thư tổng hợp, lịch"

    def ready(self):
        from . import checks  # noqa: F401  (deploy checks)
