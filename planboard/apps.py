from django.apps import AppConfig


class PlanboardConfig(AppConfig):
    name = "planboard"
