from django.apps import AppConfig


class TrackingConfig(AppConfig):
    name = "dondoc.tracking"
    label = "tracking"
    verbose_name = "Theo dõi thực hiện"
