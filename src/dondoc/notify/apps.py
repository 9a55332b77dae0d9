from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "dondoc.notify"
    label = "notify"
    verbose_name = "Nhắc việc, thư tổng hợp, lịch"

    def ready(self):
        from . import checks  # noqa: F401  (deploy checks)
        from . import webhooks  # noqa: F401  (audit/signals.py: the actions' events queued for webhooks)
