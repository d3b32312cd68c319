"""REST API for the doelenboekje: goals and rubrics to read, marks to write.

Pupil writes (self-assessments, stars) accept an Idempotency-Key header.
"""

from __future__ import annotations

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from classroom.api import IDEMPOTENCY_HEADER, ReadableField, filter_by_ids
from classroom.idempotency import idempotent
from classroom.models import Pupil
from classroom.permissions import (
    ACTING_PUPIL,
    ScopedQuerysetMixin,
    acting_pupil,
    get_readable_or_404,
    is_pupil,
    pupil_of,
)

from . import actions
from .models import Block, Goal, GoalStar, RubricLevel, SelfAssessment, Strand, TeacherAssessment


class StrandSerializer(serializers.ModelSerializer):
    class Meta:
        model = Strand
        fields = ["id", "school", "name"]


class BlockSerializer(serializers.ModelSerializer):
    class Meta:
        model = Block
        fields = ["id", "group", "name", "start_date", "end_date"]


class RubricLevelSerializer(serializers.ModelSerializer):
    class Meta:
        model = RubricLevel
        fields = ["position", "descriptor", "icon"]


class GoalSerializer(serializers.ModelSerializer):
    strand = serializers.CharField(source="strand.name", read_only=True)
    levels = RubricLevelSerializer(many=True, read_only=True)

    class Meta:
        model = Goal
        fields = [
            "id",
            "block",
            "strand",
            "code",
            "statement",
            "description",
            "pictogram",
            "levels",
        ]


class ReadableGoalField(ReadableField):
    """Only goals the requesting user may see: another group's goal is "not found"."""

    model = Goal
    related = ("block",)  # a mark checks the goal's block against the pupil's group


class SelfAssessmentSerializer(serializers.ModelSerializer):
    goal = ReadableGoalField()

    class Meta:
        model = SelfAssessment
        fields = ["id", "pupil", "goal", "level", "created_at"]
        read_only_fields = ["pupil", "created_at"]


class TeacherAssessmentSerializer(serializers.ModelSerializer):
    pupil = serializers.PrimaryKeyRelatedField(queryset=Pupil.objects.all())
    goal = serializers.PrimaryKeyRelatedField(queryset=Goal.objects.all())

    class Meta:
        model = TeacherAssessment
        fields = ["id", "pupil", "goal", "level", "note", "teacher", "created_at"]
        read_only_fields = ["teacher", "created_at"]


class TeacherAssessmentForPupilSerializer(TeacherAssessmentSerializer):
    """A pupil sees the teacher's level beside their own; the note is for teachers."""

    class Meta(TeacherAssessmentSerializer.Meta):
        fields = ["id", "pupil", "goal", "level", "created_at"]


class StarSerializer(serializers.Serializer):
    starred = serializers.BooleanField()


class StrandViewSet(ScopedQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Strand.objects.all()
    serializer_class = StrandSerializer


class BlockViewSet(ScopedQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Block.objects.all()
    serializer_class = BlockSerializer

    def get_queryset(self):
        return filter_by_ids(super().get_queryset(), self.request, "group")


class GoalViewSet(ScopedQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Goal.objects.select_related("strand").prefetch_related(
        Prefetch("levels", queryset=RubricLevel.objects.order_by("position"))
    )
    serializer_class = GoalSerializer

    def get_queryset(self):
        return filter_by_ids(super().get_queryset(), self.request, "block")

    @extend_schema(
        request=StarSerializer, responses=StarSerializer, parameters=[IDEMPOTENCY_HEADER]
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def star(self, request, pk=None):
        """Star (or unstar) a goal the pupil wants to work on next."""
        # Starring changes the pupil's own state, not the goal: reading the goal is enough.
        goal = get_readable_or_404(request.user, self.queryset, pk=pk)
        pupil = acting_pupil(request.user, GoalStar)
        serializer = StarSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        starred = actions.set_star(
            pupil=pupil, goal=goal, starred=serializer.validated_data["starred"]
        )
        return Response({"starred": starred})


class SelfAssessmentViewSet(
    ScopedQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    queryset = SelfAssessment.objects.all()
    serializer_class = SelfAssessmentSerializer
    # Who may write comes before what was sent: staff are refused, not corrected.
    create_parent = ACTING_PUPIL

    def get_queryset(self):
        return filter_by_ids(super().get_queryset(), self.request, "pupil", "goal")

    @extend_schema(parameters=[IDEMPOTENCY_HEADER])
    @idempotent
    def create(self, request, *args, **kwargs):
        """The pupil marks their own level on a goal (a new mark; history is kept)."""
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        pupil = pupil_of(self.request.user)
        data = serializer.validated_data
        serializer.instance = actions.assess_self(
            pupil=pupil, goal=data["goal"], level=data["level"]
        )


class TeacherAssessmentViewSet(
    ScopedQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    queryset = TeacherAssessment.objects.all()
    serializer_class = TeacherAssessmentSerializer
    create_parent = "pupil"

    def get_serializer_class(self):
        # A pupil sees the teacher's level, never the note.
        if is_pupil(self.request.user):
            return TeacherAssessmentForPupilSerializer
        return TeacherAssessmentSerializer

    def get_queryset(self):
        return filter_by_ids(super().get_queryset(), self.request, "pupil", "goal")

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = actions.assess_as_teacher(
            acting_user=self.request.user,
            pupil=data["pupil"],
            goal=data["goal"],
            level=data["level"],
            note=data.get("note", ""),
        )


router = SimpleRouter()
router.register("strands", StrandViewSet)
router.register("blocks", BlockViewSet)
router.register("goals", GoalViewSet)
router.register("self-assessments", SelfAssessmentViewSet)
router.register("teacher-assessments", TeacherAssessmentViewSet)
