"""REST API for the classroom domain. Viewsets parse, check and call an action."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from . import actions
from .inputs import in_school_calendar, positive_int
from .models import ASPECTS, Group, Lesson, Place, Pupil, School
from .permissions import ScopedQuerysetMixin, describe, is_pupil, readable


def exception_handler(exc, context):
    """Actions raise Django's ValidationError; the API answers it as a 400."""
    if isinstance(exc, DjangoValidationError):
        exc = DRFValidationError({"detail": exc.messages})
    return drf_exception_handler(exc, context)


def filter_by_ids(queryset, request, *names):
    """`?group=3`: only the rows whose `group_id` is 3. An empty value filters nothing;
    anything but ASCII digits that fit an id ("²", "9" * 30, "abc") is a 400."""
    for name in names:
        raw = request.query_params.get(name)
        if raw is None or raw == "":
            continue
        value = positive_int(raw)
        if value is None:
            raise DRFValidationError({name: [_("A number is needed.")]})
        queryset = queryset.filter(**{f"{name}_id": value})
    return queryset


IDEMPOTENCY_HEADER = OpenApiParameter(
    "Idempotency-Key",
    type=str,
    location=OpenApiParameter.HEADER,
    required=False,
    description="A client-made UUID; a retry with the same key returns the first answer.",
)


@extend_schema_field(OpenApiTypes.INT)
class ReadableField(serializers.PrimaryKeyRelatedField):
    """A primary key the requesting user may read; anything else is "does not exist".
    Every app's serializers use it for the objects a request names."""

    model = None
    # What the write that names the object will use of it, read in the same query.
    related: tuple[str, ...] = ()

    def get_queryset(self):
        queryset = self.model.objects.all()
        if self.related:
            queryset = queryset.select_related(*self.related)
        return readable(self.context["request"].user, queryset)


# --- Serializers --------------------------------------------------------------------


class SchoolSerializer(serializers.ModelSerializer):
    class Meta:
        model = School
        fields = ["id", "name", "city"]


class GroupSerializer(serializers.ModelSerializer):
    years = serializers.CharField(source="years_label", read_only=True)

    class Meta:
        model = Group
        fields = [
            "id",
            "school",
            "name",
            "year_from",
            "year_to",
            "years",
            "picture_code_length",
            "language",
            "class_code",
        ]
        read_only_fields = ["class_code"]


class PupilSerializer(serializers.ModelSerializer):
    """What teachers see of a pupil, including the picture code for login cards."""

    is_locked = serializers.SerializerMethodField()
    has_photo = serializers.SerializerMethodField()
    picture_code = serializers.CharField(read_only=True)

    class Meta:
        model = Pupil
        fields = [
            "id",
            "group",
            "display_name",
            "avatar",
            "avatar_colour",
            "active",
            "picture_code",
            "is_locked",
            "has_photo",
        ]
        extra_kwargs = {"avatar": {"required": False}, "avatar_colour": {"required": False}}

    def get_is_locked(self, pupil: Pupil) -> bool:
        return pupil.is_locked()

    def get_has_photo(self, pupil: Pupil) -> bool:
        return bool(pupil.photo)


class PupilSelfSerializer(PupilSerializer):
    """What a pupil sees of their own record: no code, no lock state."""

    class Meta(PupilSerializer.Meta):
        fields = ["id", "group", "display_name", "avatar", "avatar_colour", "has_photo"]


class PlaceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Place
        fields = ["id", "group", "name", "icon", "capacity"]


class LessonSerializer(serializers.ModelSerializer):
    class Meta:
        model = Lesson
        fields = [
            "id",
            "group",
            "subject",
            "date",
            "title",
            *[f"{aspect}_openness" for aspect in ASPECTS],
            "differentiation",
            "goal_options",
            "place_options",
            "fixed_instruction",
            "started_at",
            "ended_at",
        ]
        read_only_fields = ["started_at", "ended_at"]
        extra_kwargs = {
            # Declared from the goals side (Goal.lessons); optional like place_options.
            "goal_options": {"required": False},
            # 9999-12-31 is a date, but no lesson's "a week later" (a copy) is.
            "date": {"validators": [in_school_calendar]},
        }


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    role = serializers.ChoiceField(choices=["pupil", "staff", "superuser"])
    pupil = PupilSelfSerializer(allow_null=True)
    school_ids = serializers.ListField(child=serializers.IntegerField())
    managed_group_ids = serializers.ListField(child=serializers.IntegerField())


# --- Viewsets -----------------------------------------------------------------------


class ActionViewSet(ScopedQuerysetMixin, viewsets.ModelViewSet):
    """A viewset whose writes go through actions.

    `parent_field` names the validated field that holds the group (or school) a new
    object is created in and that never changes; `DeclaredPermission` asks the model's
    `create` rule about it (it is the viewset's `create_parent`).
    """

    parent_field = "group"
    create_action = None
    update_action = None
    delete_action = None

    @property
    def create_parent(self) -> str:
        return self.parent_field

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        parent = data.pop(self.parent_field)
        serializer.instance = type(self).create_action(**{self.parent_field: parent}, **data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        if self.parent_field in data and data[self.parent_field] != getattr(
            serializer.instance, self.parent_field
        ):
            raise DRFValidationError({self.parent_field: [_("This cannot be changed.")]})
        data.pop(self.parent_field, None)
        serializer.instance = type(self).update_action(serializer.instance, **data)

    def perform_destroy(self, instance):
        if type(self).delete_action is None:
            raise PermissionDenied
        type(self).delete_action(instance)


class SchoolViewSet(
    ScopedQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    queryset = School.objects.all()
    serializer_class = SchoolSerializer

    def perform_update(self, serializer):
        serializer.instance = actions.update_school(
            serializer.instance, **serializer.validated_data
        )


class GroupViewSet(ActionViewSet):
    queryset = Group.objects.select_related("school")
    serializer_class = GroupSerializer
    parent_field = "school"
    create_action = actions.create_group
    update_action = actions.update_group
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    operations = {"new_class_code": "new_class_code"}

    @extend_schema(request=None, responses=GroupSerializer)
    @action(detail=True, methods=["post"], url_path="new-class-code")
    def new_class_code(self, request, pk=None):
        """A new class code; the old code and QR stop working at once."""
        group = self.get_object()
        actions.regenerate_class_code(group)
        return Response(GroupSerializer(group).data)


class PupilViewSet(ActionViewSet):
    queryset = Pupil.objects.select_related("group")
    serializer_class = PupilSerializer
    create_action = actions.create_pupil
    update_action = actions.update_pupil
    # Deleting a pupil is erasure of a child's data: that is the research app's job,
    # with its own checks. Teachers deactivate instead.
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    operations = {"new_picture_code": "new_picture_code", "unlock": "unlock"}

    def get_serializer_class(self):
        if is_pupil(self.request.user):
            return PupilSelfSerializer
        return PupilSerializer

    @extend_schema(request=None, responses=PupilSerializer)
    @action(detail=True, methods=["post"], url_path="new-picture-code")
    def new_picture_code(self, request, pk=None):
        """A new picture code (print a new login card); also unlocks the pupil."""
        pupil = self.get_object()
        actions.reset_picture_code(pupil)
        return Response(PupilSerializer(pupil).data)

    @extend_schema(request=None, responses=PupilSerializer)
    @action(detail=True, methods=["post"])
    def unlock(self, request, pk=None):
        """Lift the lock after too many wrong picture codes."""
        pupil = self.get_object()
        actions.unlock_pupil(pupil)
        return Response(PupilSerializer(pupil).data)


class PlaceViewSet(ActionViewSet):
    queryset = Place.objects.all()
    serializer_class = PlaceSerializer
    create_action = actions.create_place
    update_action = actions.update_place
    delete_action = actions.delete_place


class LessonViewSet(ActionViewSet):
    queryset = Lesson.objects.prefetch_related("goal_options", "place_options")
    serializer_class = LessonSerializer
    create_action = actions.create_lesson
    update_action = actions.configure_lesson
    delete_action = actions.delete_lesson
    operations = {"start": "run", "end": "run"}
    # The serializer's option fields, by the names configure_lesson takes them.
    OPTIONS = {"goal_options": "goals", "place_options": "places"}

    def _as_settings(self, serializer):
        data = serializer.validated_data
        for field, option in self.OPTIONS.items():
            if field in data:
                data[option] = data.pop(field)

    def perform_create(self, serializer):
        self._as_settings(serializer)
        super().perform_create(serializer)

    def perform_update(self, serializer):
        self._as_settings(serializer)
        super().perform_update(serializer)

    @extend_schema(request=None, responses=LessonSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        """Start the lesson: pupils can fill in their logbook."""
        lesson = actions.start_lesson(self.get_object(), acting_user=request.user)
        return Response(LessonSerializer(lesson).data)

    @extend_schema(request=None, responses=LessonSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        """End the lesson: choices close, evaluations stay open."""
        lesson = actions.end_lesson(self.get_object(), acting_user=request.user)
        return Response(LessonSerializer(lesson).data)


class MeView(APIView):
    """Who is logged in, and in which role."""

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        me = describe(request.user)
        pupil = me.pop("pupil")
        return Response(
            {
                "username": request.user.get_username() if pupil is None else "",
                **me,
                "pupil": PupilSelfSerializer(pupil).data if pupil else None,
            }
        )


router = DefaultRouter()
router.register("schools", SchoolViewSet)
router.register("groups", GroupViewSet)
router.register("pupils", PupilViewSet)
router.register("places", PlaceViewSet)
router.register("lessons", LessonViewSet)
