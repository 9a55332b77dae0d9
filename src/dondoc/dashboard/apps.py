from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "dondoc.dashboard"
    label = "dashboard"
    verbose_name = "Tổng hợp, xếp hạng"
