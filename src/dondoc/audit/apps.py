from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "dondoc.audit"
    label = "audit"
    verbose_name = "Nhật ký hệ thống"
