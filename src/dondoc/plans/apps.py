from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "dondoc.plans"
    label = "plans"
    verbose_name = "Kế hoạch"
