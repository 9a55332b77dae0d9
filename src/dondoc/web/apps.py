from django.apps import AppConfig


class WebConfig(AppConfig):
    """The site around the apps: the home page, the menu, the error pages. It stands above every domain app."""

    name = "dondoc.web"
    label = "web"
    verbose_name = "Trang"
