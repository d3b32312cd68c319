"""WebSocket consumers. They authenticate (the session, through the ASGI stack),
authorise through classroom.permissions, join one group and forward its events. Nothing
else: state is fetched over HTTP, so a missed message costs at most a reload."""

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from classroom.models import Group, Lesson
from classroom.permissions import can

from .groups import class_group, lesson_group

FORBIDDEN = 4403


class GroupConsumer(AsyncJsonWebsocketConsumer):
    """Joins the group of one object when the user may see it; closes with 4403 if not.
    Subclasses name the URL argument, the model, the operation and the group."""

    url_kwarg = ""
    # The declared operation a user needs on the object to listen (classroom.permissions).
    operation = "read"
    group_name = None

    def find(self, pk: int):
        raise NotImplementedError

    def allowed(self, user, obj) -> bool:
        return can(user, self.operation, obj)

    def group_for(self, pk: int) -> str:
        raise NotImplementedError

    @database_sync_to_async
    def _may_join(self, pk: int) -> bool:
        obj = self.find(pk)
        return obj is not None and self.allowed(self.scope["user"], obj)

    async def connect(self):
        pk = self.scope["url_route"]["kwargs"][self.url_kwarg]
        if not await self._may_join(pk):
            await self.close(code=FORBIDDEN)
            return
        self.group_name = self.group_for(pk)
        await self.channel_layer.group_add(self.group_name, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        if self.group_name:
            await self.channel_layer.group_discard(self.group_name, self.channel_name)

    async def forward(self, event):
        """The event as the client receives it: its JSON text, encoded once by the sender
        (classroom.realtime.publish.encoded)."""
        if "text" in event:
            await self.send(text_data=event["text"])
        else:
            await self.send_json(event)


class LessonConsumer(GroupConsumer):
    """`ws/les/<lesson>/`: the live dashboard. Only those who run the lesson (the group's
    teachers, the school's admins): events name pupils and their choices."""

    url_kwarg = "lesson_id"
    operation = "view_dashboard"

    def find(self, pk):
        return Lesson.objects.filter(pk=pk).first()

    def group_for(self, pk):
        return lesson_group(pk)

    async def lesson_changed(self, event):
        await self.forward(event)


class ClassConsumer(GroupConsumer):
    """`ws/klas/<group>/`: the class's screens hear when a lesson starts or ends."""

    url_kwarg = "group_id"

    def find(self, pk):
        return Group.objects.filter(pk=pk).first()

    def group_for(self, pk):
        return class_group(pk)

    async def lessons_changed(self, event):
        await self.forward(event)
