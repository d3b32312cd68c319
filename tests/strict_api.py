"""The API's parser and pagination as config/settings.py configures them:

    "DEFAULT_PARSER_CLASSES": [
        "classroom.parsers.StrictJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "classroom.pagination.CappedLimitOffsetPagination",

DRF reads both into class attributes when its views are imported (APIView.parser_classes,
GenericAPIView.pagination_class), so overriding the setting in a test changes nothing by
itself: `use_strict_api` sets the setting and puts the classes where DRF would have."""

from rest_framework.generics import GenericAPIView
from rest_framework.settings import api_settings
from rest_framework.views import APIView

STRICT_API = {
    "DEFAULT_PARSER_CLASSES": [
        "classroom.parsers.StrictJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "classroom.pagination.CappedLimitOffsetPagination",
}


def use_strict_api(settings, monkeypatch) -> None:
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, **STRICT_API}  # reloads api_settings
    monkeypatch.setattr(APIView, "parser_classes", api_settings.DEFAULT_PARSER_CLASSES)
    monkeypatch.setattr(GenericAPIView, "pagination_class", api_settings.DEFAULT_PAGINATION_CLASS)
