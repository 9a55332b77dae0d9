from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class CoreConfig(AppConfig):
    default = True
    name = "dondoc.core"
    label = "core"
    verbose_name = "Chung"

    def ready(self):
        from . import checks  # noqa: F401  (deploy checks)


class DondocAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "dondoc.core.admin_site.DondocAdminSite"
