from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo loader (`dondoc demo`, `make run`): it drives the other apps' actions, so it stands above them all."""

    name = "dondoc.demo"
    label = "demo"
    verbose_name = "Dữ liệu minh họa"
