from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "internationale.api"
    label = "api"
    verbose_name = "API"
