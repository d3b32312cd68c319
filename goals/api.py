"""REST API for the doelenboekje: goals and rubrics to read, marks to write.

Pupil writes (self-assessments, stars) accept an Idempotency-Key header.
"""

from __future__ import annotations

from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from classroom.api import run_action
from classroom.idempotency import idempotent
from classroom.models import Pupil
from classroom.permissions import (
    ScopedQuerysetMixin,
    acting_pupil,
    actor_for,
    can_create,
    get_readable_or_404,
    readable,
)

from . import actions
from .models import Block, Goal, GoalStar, RubricLevel, SelfAssessment, Strand, TeacherAssessment

IDEMPOTENCY_HEADER = OpenApiParameter(
    "Idempotency-Key",
    type=str,
    location=OpenApiParameter.HEADER,
    required=False,
    description="A client-made UUID; a retry with the same key returns the first answer.",
)


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


class ReadableGoalField(serializers.PrimaryKeyRelatedField):
    """Only goals the requesting user may see: another group's goal is "not found"."""

    def get_queryset(self):
        return readable(self.context["request"].user, Goal.objects.all())


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


def _filter(queryset, request, *names):
    for name in names:
        value = request.query_params.get(name)
        if value is not None:
            if not value.isdigit():
                raise serializers.ValidationError({name: ["A number is needed."]})
            queryset = queryset.filter(**{f"{name}_id": int(value)})
    return queryset


class StrandViewSet(ScopedQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Strand.objects.all()
    serializer_class = StrandSerializer


class BlockViewSet(ScopedQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Block.objects.all()
    serializer_class = BlockSerializer

    def get_queryset(self):
        return _filter(super().get_queryset(), self.request, "group")


class GoalViewSet(ScopedQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Goal.objects.select_related("strand").prefetch_related(
        Prefetch("levels", queryset=RubricLevel.objects.order_by("position"))
    )
    serializer_class = GoalSerializer

    def get_queryset(self):
        return _filter(super().get_queryset(), self.request, "block")

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
        starred = run_action(
            actions.set_star, pupil=pupil, goal=goal, starred=serializer.validated_data["starred"]
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

    def get_queryset(self):
        return _filter(super().get_queryset(), self.request, "pupil", "goal")

    @extend_schema(parameters=[IDEMPOTENCY_HEADER])
    @idempotent
    def create(self, request, *args, **kwargs):
        """The pupil marks their own level on a goal (a new mark; history is kept)."""
        # Who may write comes before what was sent: staff are refused, not corrected.
        acting_pupil(request.user, SelfAssessment)
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        pupil = actor_for(self.request.user).pupil
        data = serializer.validated_data
        serializer.instance = run_action(
            actions.assess_self, pupil=pupil, goal=data["goal"], level=data["level"]
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

    def get_serializer_class(self):
        if actor_for(self.request.user).pupil is not None:
            return TeacherAssessmentForPupilSerializer
        return TeacherAssessmentSerializer

    def get_queryset(self):
        return _filter(super().get_queryset(), self.request, "pupil", "goal")

    def perform_create(self, serializer):
        data = serializer.validated_data
        pupil = data["pupil"]
        if not readable(self.request.user, Pupil.objects.filter(pk=pupil.pk)).exists():
            raise PermissionDenied
        if not can_create(self.request.user, TeacherAssessment, pupil):
            raise PermissionDenied
        serializer.instance = run_action(
            actions.assess_as_teacher,
            teacher=self.request.user,
            pupil=pupil,
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
