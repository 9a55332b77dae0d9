from django.apps import AppConfig


class TrackingConfig(AppConfig):
    name = "dondoc.tracking"
    label = "tracking"
    verbose_name = "Theo dõi thực hiện"

    def ready(self):
        from . import notifications, spans  # noqa: F401  (signals: who is told of new work; the status cache kept true)
