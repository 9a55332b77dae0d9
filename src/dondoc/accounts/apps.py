from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "dondoc.accounts"
    label = "accounts"
    verbose_name = "Tài khoản"
