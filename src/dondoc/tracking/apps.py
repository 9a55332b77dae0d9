from django.apps import AppConfig


class TrackingConfig(AppConfig):
    name = "dondoc.tracking"
    label = "tracking"
    verbose_name = "Theo dõi thực hiện"

    def ready(self):
        from . import spans  # noqa: F401  (signals that keep the status cache true)
