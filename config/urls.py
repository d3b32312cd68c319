from csp.decorators import csp_update
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView

from classroom.api import MeView
from classroom.api import router as classroom_router
from classroom.health import healthz
from goals.api import router as goals_router
from logbook.api import LessonDashboardView
from logbook.api import router as logbook_router
from planboard.api import router as planboard_router
from research.api import router as research_router

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/me/", MeView.as_view(), name="api-me"),
    path(
        "api/lessons/<int:pk>/dashboard/",
        LessonDashboardView.as_view(),
        name="api-lesson-dashboard",
    ),
    path("api/", include(classroom_router.urls)),
    path("api/", include(goals_router.urls)),
    path("api/", include(logbook_router.urls)),
    path("api/", include(planboard_router.urls)),
    path("api/", include(research_router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The API's reference page for developers: Redoc draws its own styles and runs a
    # worker from blob: (the app's pages keep the strict policy).
    path(
        "api/docs/",
        csp_update({"style-src": ["'unsafe-inline'"], "worker-src": ["blob:"]})(
            SpectacularRedocView.as_view(url_name="api-schema")
        ),
        name="api-docs",
    ),
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("frontend.urls")),
]
