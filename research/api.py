"""REST API for research: studies (read), their exports, and consent."""

from __future__ import annotations

from django.http import StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from classroom.models import Pupil
from classroom.permissions import ScopedQuerysetMixin, readable

from . import actions
from .exports import FORMATS, Export, filename, zip_stream
from .models import Consent, ConsentStatus, Study


class StudySerializer(serializers.ModelSerializer):
    class Meta:
        model = Study
        fields = [
            "id",
            "school",
            "title",
            "description",
            "groups",
            "start_date",
            "end_date",
            "datasets",
            "include_free_text",
            "coarsen_to_day",
            "min_cell_size",
        ]
        read_only_fields = fields


class StudyViewSet(ScopedQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """Studies the user takes part in. Set up in the app by a school admin."""

    queryset = Study.objects.prefetch_related("groups")
    serializer_class = StudySerializer
    operations = {"export": "export"}

    @extend_schema(
        parameters=[OpenApiParameter("fmt", str, enum=FORMATS, default="csv")],
        responses={(200, "application/zip"): OpenApiTypes.BINARY},
    )
    @action(detail=True, methods=["get"], url_path="export")
    def export(self, request, pk=None):
        """The study's pseudonymised export as a zip (data, codebook.csv, README.md),
        streamed. Researchers of the study and the school's admins only."""
        study = self.get_object()  # DeclaredPermission asks `export` about it
        fmt = request.query_params.get("fmt", "csv")
        if fmt not in FORMATS:
            raise NotFound
        actions.record_export(study, fmt=fmt, acting_user=request.user)
        response = StreamingHttpResponse(
            zip_stream(Export(study), fmt), content_type="application/zip"
        )
        response["Content-Disposition"] = f'attachment; filename="{filename(study, fmt)}"'
        return response


class ReadableStudyField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return readable(self.context["request"].user, Study.objects.all())


class ReadablePupilField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return readable(self.context["request"].user, Pupil.objects.all())


class ConsentSerializer(serializers.ModelSerializer):
    study = ReadableStudyField()
    pupil = ReadablePupilField()
    status = serializers.ChoiceField(choices=ConsentStatus.choices)

    class Meta:
        model = Consent
        fields = ["id", "study", "pupil", "status", "set_by", "set_at"]
        read_only_fields = ["id", "set_by", "set_at"]
        # Posting again for the same study and pupil changes the consent (the action
        # updates it), so the one-per-pupil constraint is no reason to refuse.
        validators = []


class ConsentViewSet(
    ScopedQuerysetMixin, mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Consent per pupil per study: the pupil's teachers and the school's admins set it.
    Posting again for the same pupil and study changes it."""

    queryset = Consent.objects.all()
    serializer_class = ConsentSerializer
    operations = {"create": "set_consent"}
    create_parent = "pupil"

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = actions.set_consent(
            study=data["study"],
            pupil=data["pupil"],
            status=data["status"],
            acting_user=self.request.user,
        )

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.perform_create(serializer)
        return Response(ConsentSerializer(serializer.instance, context={"request": request}).data)


router = SimpleRouter()
router.register("studies", StudyViewSet)
router.register("consents", ConsentViewSet)
