"""REST API for the planbord. Children's writes (plan, tick, photo) are idempotent; a
full activity answers 409 with "Vol!"."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.templatetags.static import static
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from classroom import images
from classroom.api import IDEMPOTENCY_HEADER, ActionViewSet, ReadableField
from classroom.idempotency import idempotent
from classroom.inputs import in_school_calendar
from classroom.permissions import ACTING_PUPIL, ScopedQuerysetMixin, pupil_of
from classroom.pictograms import activity_static_path

from . import actions
from .models import Activity, Board, Plan, PlanPhoto, Slot


def picture_url(activity: Activity) -> str:
    """The teacher's photo of the corner when there is one, else the activity's picture."""
    if activity.photo:
        return reverse("frontend:planboard-corner-photo", args=[activity.pk])
    return static(activity_static_path(activity.pictogram))


class ReadableSlotField(ReadableField):
    model = Slot
    related = ("board", "activity")


class ReadableActivityField(ReadableField):
    model = Activity


class ReadableBoardField(ReadableField):
    model = Board


class ReadablePlanField(ReadableField):
    model = Plan


class ActivitySerializer(serializers.ModelSerializer):
    picture_url = serializers.SerializerMethodField()

    class Meta:
        model = Activity
        fields = ["id", "group", "name", "pictogram", "picture_url", "capacity", "goals", "active"]

    def get_picture_url(self, activity) -> str:
        return picture_url(activity)


class PlanSerializer(serializers.ModelSerializer):
    slot = ReadableSlotField()

    class Meta:
        model = Plan
        fields = ["id", "board", "pupil", "slot", "position", "done", "seated", "decided_by"]
        read_only_fields = ["board", "pupil", "position", "done", "seated", "decided_by"]


class SlotStateSerializer(serializers.ModelSerializer):
    activity = serializers.CharField(source="activity.name")
    activity_id = serializers.IntegerField(source="activity.pk")
    pictogram = serializers.CharField(source="activity.pictogram")
    picture_url = serializers.SerializerMethodField()
    full = serializers.BooleanField(source="is_full")
    plans = serializers.SerializerMethodField()

    class Meta:
        model = Slot
        fields = [
            "id",
            "activity",
            "activity_id",
            "pictogram",
            "picture_url",
            "compulsory",
            "capacity",
            "taken",
            "full",
            "plans",
        ]

    def get_picture_url(self, slot) -> str:
        return picture_url(slot.activity)

    def get_plans(self, slot) -> list[dict]:
        # Avatars, never names: the board is the group's and shown on the digibord.
        return [
            {
                "id": p.id,
                "pupil": p.pupil_id,
                "avatar": p.pupil.avatar,
                "colour": p.pupil.avatar_hex,
                "position": p.position,
                "done": p.done,
                "seated": p.seated,
                "decided_by": p.decided_by,
            }
            for p in slot.plans.all()
        ]


class BoardSerializer(serializers.ModelSerializer):
    slots = SlotStateSerializer(many=True, read_only=True)

    class Meta:
        model = Board
        fields = ["id", "group", "date", "part", "version", "slots"]
        read_only_fields = ["version", "slots"]
        extra_kwargs = {"date": {"validators": [in_school_calendar]}}


class SlotSwitchSerializer(serializers.Serializer):
    activity = ReadableActivityField()
    on = serializers.BooleanField()
    compulsory = serializers.BooleanField(default=False)


class ReuseSerializer(serializers.Serializer):
    source = ReadableBoardField()


class TickSerializer(serializers.Serializer):
    done = serializers.BooleanField()


class MoveSerializer(serializers.Serializer):
    slot = ReadableSlotField()


def full_or_raise(func, *args, **kwargs):
    """Run an action; a full activity becomes 409 "Vol!" instead of a 400."""
    try:
        return func(*args, **kwargs)
    except DjangoValidationError as exc:
        if getattr(exc, "code", None) == "full":
            return Response(
                {"detail": exc.messages, "code": "full"}, status=status.HTTP_409_CONFLICT
            )
        raise DRFValidationError({"detail": exc.messages}) from exc


class ActivityViewSet(ActionViewSet):
    queryset = Activity.objects.prefetch_related("goals")
    serializer_class = ActivitySerializer
    create_action = actions.create_activity
    update_action = actions.update_activity
    http_method_names = ["get", "post", "put", "patch", "head", "options"]


class BoardViewSet(
    ScopedQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """A board with its activities and who planned what: everything a screen draws."""

    queryset = Board.objects.prefetch_related(
        Prefetch(
            "slots",
            queryset=Slot.objects.select_related("activity").prefetch_related(
                Prefetch(
                    "plans", queryset=Plan.objects.select_related("pupil").order_by("pupil_id")
                )
            ),
        )
    )
    serializer_class = BoardSerializer
    create_parent = "group"

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = actions.board_for(
            data["group"], data["date"], data.get("part", "day")
        )

    @extend_schema(request=SlotSwitchSerializer, responses=BoardSerializer)
    @action(detail=True, methods=["post"])
    def slots(self, request, pk=None):
        """Switch an activity on or off for this board, or make it a moetje."""
        board = self.get_object()
        serializer = SlotSwitchSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        actions.set_slot(board, **serializer.validated_data)
        return Response(BoardSerializer(self.get_queryset().get(pk=board.pk)).data)

    @extend_schema(request=ReuseSerializer, responses=BoardSerializer)
    @action(detail=True, methods=["post"])
    def reuse(self, request, pk=None):
        """Compose this board like another (yesterday's)."""
        board = self.get_object()
        serializer = ReuseSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        actions.reuse_board(serializer.validated_data["source"], board)
        return Response(BoardSerializer(self.get_queryset().get(pk=board.pk)).data)


class PlanViewSet(
    ScopedQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    queryset = Plan.objects.all()
    serializer_class = PlanSerializer
    create_parent = ACTING_PUPIL
    operations = {"move": "move_child"}

    @extend_schema(parameters=[IDEMPOTENCY_HEADER], responses={201: PlanSerializer, 409: None})
    @idempotent
    def create(self, request, *args, **kwargs):
        """A child puts themselves on an activity (after what they planned already)."""
        pupil = pupil_of(request.user)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = full_or_raise(
            actions.plan,
            pupil=pupil,
            slot=serializer.validated_data["slot"],
            acting_user=request.user,
        )
        if isinstance(result, Response):
            return result
        return Response(PlanSerializer(result).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance):
        actions.unplan(plan_obj=instance, acting_user=self.request.user)

    @extend_schema(
        request=TickSerializer, responses=PlanSerializer, parameters=[IDEMPOTENCY_HEADER]
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def tick(self, request, pk=None):
        """Tick off (or un-tick) an activity the child did."""
        plan_obj = self.get_object()
        serializer = TickSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        actions.tick(
            plan_obj=plan_obj,
            acting_user=request.user,
            done=serializer.validated_data["done"],
        )
        return Response(PlanSerializer(plan_obj).data)

    @extend_schema(request=MoveSerializer, responses={200: PlanSerializer, 409: None})
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        """The teacher moves a child to another activity (a teacher decision)."""
        plan_obj = self.get_object()
        serializer = MoveSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        result = full_or_raise(
            actions.move,
            acting_user=request.user,
            plan_obj=plan_obj,
            to_slot=serializer.validated_data["slot"],
        )
        if isinstance(result, Response):
            return result
        return Response(PlanSerializer(result).data)


class PlanPhotoSerializer(serializers.ModelSerializer):
    # A plain file: classroom.images checks it once, with a clear message per problem.
    image = serializers.FileField(write_only=True, help_text="JPEG, PNG, WebP or HEIC")
    plan = ReadablePlanField(write_only=True, required=False, allow_null=True)
    url = serializers.SerializerMethodField()
    thumbnail_url = serializers.SerializerMethodField()

    class Meta:
        model = PlanPhoto
        fields = [
            "id",
            "pupil",
            "board",
            "activity",
            "plan",
            "image",
            "url",
            "thumbnail_url",
            "width",
            "height",
            "created_at",
        ]
        read_only_fields = ["pupil", "board", "activity", "width", "height", "created_at"]

    def get_url(self, photo) -> str:
        return reverse("frontend:planboard-photo", args=[photo.pk])

    def get_thumbnail_url(self, photo) -> str:
        return reverse("frontend:planboard-photo-thumbnail", args=[photo.pk])


class PlanPhotoViewSet(
    ScopedQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    queryset = PlanPhoto.objects.all()
    serializer_class = PlanPhotoSerializer
    parser_classes = [MultiPartParser, FormParser]
    create_parent = ACTING_PUPIL

    @extend_schema(parameters=[IDEMPOTENCY_HEADER])
    @idempotent(prepare="clean_upload")
    def create(self, request, *args, prepared, **kwargs):
        """A kleuter adds a photo of their work at the activity of `plan` (else where they
        are now). The image is checked and cleaned first (`clean_upload`, outside any
        transaction, so a classmate's tap never waits for it); then the row is stored in
        a short one."""
        serializer, clean = prepared
        try:
            serializer.instance = actions.add_plan_photo(
                pupil=pupil_of(request.user),
                upload=clean,
                plan_obj=serializer.validated_data.get("plan"),
            )
        except DjangoValidationError as exc:
            raise DRFValidationError({"detail": exc.messages}) from exc
        headers = self.get_success_headers(serializer.data)
        return Response(serializer.data, status=status.HTTP_201_CREATED, headers=headers)

    def clean_upload(self, request):
        """The slow part, before any transaction: parse, check the plan, decode; in one
        of the process's few places for photo work (the others queue)."""
        with images.photo_place():
            serializer = self.get_serializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            data = serializer.validated_data
            try:
                actions.photo_plan(pupil=pupil_of(request.user), plan_obj=data.get("plan"))
                return serializer, images.clean_photo(data["image"])
            except DjangoValidationError as exc:
                raise DRFValidationError({"detail": exc.messages}) from exc


router = SimpleRouter()
router.register("activities", ActivityViewSet)
router.register("boards", BoardViewSet)
router.register("plans", PlanViewSet)
router.register("plan-photos", PlanPhotoViewSet)
