from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "dondoc.notify"
    label = "notify"
    verbose_name = "Nhắc việc, thư tổng hợp, lịch"
