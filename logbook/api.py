"""REST API for photos and rekengesprek notes. Photo uploads are idempotent pupil writes."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter
from rest_framework.views import APIView

from classroom import images
from classroom.api import IDEMPOTENCY_HEADER, ReadableField, filter_by_ids
from classroom.idempotency import idempotent
from classroom.models import Lesson, Pupil
from classroom.permissions import (
    ACTING_PUPIL,
    ScopedQuerysetMixin,
    acting_pupil,
    get_permitted_or_404,
    pupil_of,
    require,
)
from goals.api import ReadableGoalField
from goals.models import Goal

from . import actions, dashboard, entries
from .entries import ENTRY_ASPECTS
from .models import ConversationNote, LogbookEntry, Photo


class ReadableLessonField(ReadableField):
    model = Lesson


class ReadablePupilField(ReadableField):
    model = Pupil


class PhotoSerializer(serializers.ModelSerializer):
    # A plain file: classroom.images checks it once, with a clear message per problem.
    image = serializers.FileField(write_only=True, help_text="JPEG, PNG, WebP or HEIC")
    goal = ReadableGoalField(required=False, allow_null=True)
    lesson = ReadableLessonField(required=False, allow_null=True)
    url = serializers.SerializerMethodField()
    thumbnail_url = serializers.SerializerMethodField()

    class Meta:
        model = Photo
        fields = [
            "id",
            "pupil",
            "goal",
            "lesson",
            "prompt",
            "image",
            "url",
            "thumbnail_url",
            "width",
            "height",
            "created_at",
        ]
        read_only_fields = ["pupil", "width", "height", "created_at"]

    def get_url(self, photo) -> str:
        return reverse("frontend:photo", args=[photo.pk])

    def get_thumbnail_url(self, photo) -> str:
        return reverse("frontend:photo-thumbnail", args=[photo.pk])


class PhotoViewSet(
    ScopedQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    queryset = Photo.objects.all()
    serializer_class = PhotoSerializer
    parser_classes = [MultiPartParser, FormParser]
    create_parent = ACTING_PUPIL

    def get_queryset(self):
        return filter_by_ids(super().get_queryset(), self.request, "goal")

    @extend_schema(parameters=[IDEMPOTENCY_HEADER])
    @idempotent(prepare="clean_upload")
    def create(self, request, *args, prepared, **kwargs):
        """A pupil adds a photo of their work, optionally to a goal with a prompt.
        The image is checked and cleaned on the server first (`clean_upload`, in a worker
        thread, outside any transaction); then the row is stored in a short one."""
        serializer, clean = prepared
        serializer.instance = actions.add_photo(
            pupil=pupil_of(request.user),
            upload=clean,
            goal=serializer.validated_data.get("goal"),
            lesson=serializer.validated_data.get("lesson"),
            prompt=serializer.validated_data.get("prompt", ""),
        )
        headers = self.get_success_headers(serializer.data)
        return Response(serializer.data, status=201, headers=headers)

    def clean_upload(self, request):
        """The slow part, before any transaction: parse, check the target, decode; in
        one of the process's few places for photo work (the others queue)."""
        with images.photo_place():
            serializer = self.get_serializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            data = serializer.validated_data
            actions.check_photo_target(
                pupil=pupil_of(request.user),
                goal=data.get("goal"),
                lesson=data.get("lesson"),
                prompt=data.get("prompt", ""),
            )
            return serializer, images.clean_photo(data["image"])


class ConversationNoteSerializer(serializers.ModelSerializer):
    pupil = ReadablePupilField()
    goals = serializers.PrimaryKeyRelatedField(
        many=True, required=False, queryset=Goal.objects.all()
    )

    class Meta:
        model = ConversationNote
        fields = ["id", "pupil", "teacher", "text", "goals", "created_at"]
        read_only_fields = ["teacher", "created_at"]


class ConversationNoteViewSet(
    ScopedQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    queryset = ConversationNote.objects.prefetch_related("goals")
    serializer_class = ConversationNoteSerializer
    create_parent = "pupil"

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = actions.add_conversation_note(
            acting_user=self.request.user,
            pupil=data["pupil"],
            text=data["text"],
            goals=data.get("goals", []),
        )


router = SimpleRouter()
router.register("photos", PhotoViewSet)
router.register("conversation-notes", ConversationNoteViewSet)


class LogbookEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = LogbookEntry
        fields = [
            "id",
            "pupil",
            "lesson",
            "goals",
            "instruction",
            "instruction_reason",
            "instruction_text",
            "alone",
            "partners",
            "place",
            "decided_by",
            "help_reason",
            "help_coming_at",
            "mood",
            "evaluation_text",
            "evaluated_at",
        ]
        read_only_fields = fields


class ChoiceSerializer(serializers.Serializer):
    lesson = ReadableLessonField()
    aspect = serializers.ChoiceField(choices=ENTRY_ASPECTS)
    value = serializers.JSONField(
        help_text="goal: [goal ids]; instruction: {wanted, reason, text}; place: place id; "
        "partner: [pupil ids], [] for alone"
    )


class OverrideSerializer(ChoiceSerializer):
    pupil = ReadablePupilField()


class HelpSerializer(serializers.Serializer):
    lesson = ReadableLessonField()
    # A plain string (the action checks it): one enum of reasons in the schema, the
    # entry's own `help_reason`.
    reason = serializers.CharField(
        allow_blank=True,
        max_length=20,
        help_text="dont_understand, done or missing; empty: 'ik kan verder' (the request ends)",
    )


class HelpAnswerSerializer(serializers.Serializer):
    lesson = ReadableLessonField()
    pupil = ReadablePupilField()
    answer = serializers.ChoiceField(
        choices=[("coming", "ik kom eraan"), ("done", "helped")],
        help_text="coming: the pupil sees 'ik kom eraan'; done: the request ends",
    )


class EvaluationLevelSerializer(serializers.Serializer):
    goal = serializers.IntegerField()
    level = serializers.IntegerField()


class EvaluationSerializer(serializers.Serializer):
    lesson = ReadableLessonField()
    levels = EvaluationLevelSerializer(many=True, required=False)
    mood = serializers.CharField()
    text = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class LogbookEntryViewSet(
    ScopedQuerysetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Logbook entries: pupils choose and evaluate, teachers override."""

    queryset = LogbookEntry.objects.prefetch_related("goals", "partners")
    serializer_class = LogbookEntrySerializer
    operations = {"override": "decide_for_pupil", "help_answer": "answer_help"}

    def get_queryset(self):
        return filter_by_ids(super().get_queryset(), self.request, "lesson")

    def _pupil(self, request):
        return acting_pupil(request.user, LogbookEntry)

    @extend_schema(
        request=ChoiceSerializer, responses=LogbookEntrySerializer, parameters=[IDEMPOTENCY_HEADER]
    )
    @action(detail=False, methods=["post"])
    @idempotent
    def choose(self, request):
        """The pupil chooses one aspect of their entry for a running lesson."""
        pupil = self._pupil(request)
        serializer = ChoiceSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        entry = entries.choose(pupil=pupil, **serializer.validated_data)
        return Response(LogbookEntrySerializer(entry).data)

    @extend_schema(
        request=EvaluationSerializer,
        responses=LogbookEntrySerializer,
        parameters=[IDEMPOTENCY_HEADER],
    )
    @action(detail=False, methods=["post"])
    @idempotent
    def evaluate(self, request):
        """The pupil evaluates: a level per chosen goal, how it went, optional words."""
        pupil = self._pupil(request)
        serializer = EvaluationSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        entry = entries.evaluate(
            pupil=pupil,
            lesson=data["lesson"],
            levels={row["goal"]: row["level"] for row in data.get("levels", [])},
            mood=data["mood"],
            text=data.get("text", ""),
        )
        return Response(LogbookEntrySerializer(entry).data)

    @extend_schema(
        request=HelpSerializer, responses=LogbookEntrySerializer, parameters=[IDEMPOTENCY_HEADER]
    )
    @action(detail=False, methods=["post"])
    @idempotent
    def help(self, request):
        """The pupil asks for help with a reason, or says "ik kan verder" (no reason)."""
        pupil = self._pupil(request)
        serializer = HelpSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if data["reason"]:
            entry = entries.ask_help(pupil=pupil, lesson=data["lesson"], reason=data["reason"])
        else:
            entry = entries.close_help(acting_user=request.user, pupil=pupil, lesson=data["lesson"])
        return Response(LogbookEntrySerializer(entry).data)

    @extend_schema(request=HelpAnswerSerializer, responses=LogbookEntrySerializer)
    @action(detail=False, methods=["post"], url_path="help-answer")
    def help_answer(self, request):
        """The teacher answers a help request: "ik kom eraan", or helped (it ends)."""
        serializer = HelpAnswerSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        require(request.user, "answer_help", data["pupil"], model=LogbookEntry)
        if data["pupil"].group_id != data["lesson"].group_id:
            raise serializers.ValidationError({"pupil": [_("This pupil is not in this lesson.")]})
        act = entries.answer_help if data["answer"] == "coming" else entries.close_help
        entry = act(acting_user=request.user, pupil=data["pupil"], lesson=data["lesson"])
        return Response(LogbookEntrySerializer(entry).data)

    @extend_schema(request=OverrideSerializer, responses=LogbookEntrySerializer)
    @action(detail=False, methods=["post"])
    def override(self, request):
        """The teacher decides an aspect for a pupil; recorded as a teacher decision."""
        # Pupils were refused before the body was read (DeclaredPermission).
        serializer = OverrideSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        require(request.user, "decide_for_pupil", data["pupil"], model=LogbookEntry)
        entry = entries.override(acting_user=request.user, **data)
        return Response(LogbookEntrySerializer(entry).data)


router.register("logbook-entries", LogbookEntryViewSet)


class LessonDashboardView(APIView):
    """The live dashboard's snapshot of a lesson: every pupil's line, the quadrant and
    the sequence number `seq` of the last change it includes. Screens load it on
    connect and whenever they miss an event (docs/realtime.md). For the lesson's
    teachers only."""

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request, pk: int):
        lesson = get_permitted_or_404(request.user, "view_dashboard", Lesson, pk=pk)
        return Response(dashboard.snapshot(lesson))
