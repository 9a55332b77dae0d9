from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django_tasks_db.apps import TasksAppConfig


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

    def ready(self):
        super().ready()  # autodiscover: every app's admin.py is registered by now
        from .admin_site import finish_registry

        from django.contrib import admin

        finish_registry(admin.site)


class TasksDatabaseConfig(TasksAppConfig):
    """django-tasks' database queue under a Vietnamese name in the admin (its own says "Tasks Database Backend")."""

    default = False
    verbose_name = "Hàng đợi việc nền"
