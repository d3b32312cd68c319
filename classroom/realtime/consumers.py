"""WebSocket consumers. They authenticate (the session, through the ASGI stack),
authorise through classroom.permissions, join one group and forward its events. Nothing
else: state is fetched over HTTP, so a missed message costs at most a reload.

Rights are not only checked at connect: every socket also joins its login session's
group and its user's group. Logging out ends the session's sockets (close code 4401),
and so does the session's expiry; a change to the user's rights (removed from a group or
school, deactivated, moved, erased: `rights.changed`) makes each socket check again with
a fresh look at the user and the object, and close with 4403 when it may no longer
listen (docs/realtime.md).
"""

import asyncio

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.contrib.auth import get_user_model
from django.utils import timezone

from classroom.models import Group, Lesson
from classroom.parsers import loads
from classroom.permissions import can

from .groups import class_group, lesson_group, session_group, user_group
from .quiet import BAD_FRAME, log_once

FORBIDDEN = 4403
SESSION_ENDED = 4401


class RightsFollowingConsumer(AsyncJsonWebsocketConsumer):
    """Joins the session's and the user's groups; ends with the session, and checks
    again (`still_allowed`) when the user's rights changed."""

    personal: list[str] = []
    expiry_task = None

    async def still_allowed(self, user) -> bool:
        raise NotImplementedError

    async def join_personal(self) -> None:
        user = self.scope["user"]
        session = self.scope.get("session")
        names = [user_group(user.pk)]
        if session is not None and session.session_key:
            names.append(session_group(session.session_key))
        self.personal = names
        for name in names:
            await self.channel_layer.group_add(name, self.channel_name)
        if session is not None:
            expires = await database_sync_to_async(session.get_expiry_date)()
            self.expiry_task = asyncio.ensure_future(self._close_at(expires))

    async def _close_at(self, moment) -> None:
        await asyncio.sleep(max(0.0, (moment - timezone.now()).total_seconds()))
        self.expiry_task = None  # ending must not cancel the task that is ending it
        await self.end(SESSION_ENDED)

    async def leave_personal(self) -> None:
        if self.expiry_task is not None:
            self.expiry_task.cancel()
            self.expiry_task = None
        for name in self.personal:
            await self.channel_layer.group_discard(name, self.channel_name)
        self.personal = []

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        """The live sockets expect nothing from the client: a JSON frame is ignored; a
        frame that is not JSON closes with 4400 and one quiet log line (config/quiet.py),
        never a traceback per frame."""
        try:
            loads(text_data if text_data is not None else (bytes_data or b"").decode())
        except (ValueError, TypeError):  # not JSON, out of bounds (depth), bad bytes
            log_once(self.scope, "bad frame", repr((text_data or bytes_data or "")[:60]))
            await self.end(BAD_FRAME)

    async def end(self, code: int) -> None:
        """Stop listening at once (nothing more is forwarded), then close."""
        await self.disconnect(code)
        await self.close(code=code)

    async def session_ended(self, event) -> None:
        await self.end(SESSION_ENDED)

    async def rights_changed(self, event) -> None:
        user = await database_sync_to_async(self._fresh_user)()
        if user is None or not await self.still_allowed(user):
            await self.end(FORBIDDEN)

    def _fresh_user(self):
        """The user as the database has them now (no cached roles)."""
        return get_user_model().objects.filter(pk=self.scope["user"].pk, is_active=True).first()


class GroupConsumer(RightsFollowingConsumer):
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
    def _may_join(self, pk: int, user=None) -> bool:
        obj = self.find(pk)
        return obj is not None and self.allowed(user or self.scope["user"], obj)

    async def connect(self):
        pk = self.scope["url_route"]["kwargs"][self.url_kwarg]
        if not await self._may_join(pk):
            await self.close(code=FORBIDDEN)
            return
        self.object_pk = pk
        self.group_name = self.group_for(pk)
        await self.channel_layer.group_add(self.group_name, self.channel_name)
        await self.join_personal()
        await self.accept()

    async def still_allowed(self, user) -> bool:
        return await self._may_join(self.object_pk, user)

    async def disconnect(self, code):
        if self.group_name:
            await self.channel_layer.group_discard(self.group_name, self.channel_name)
        await self.leave_personal()

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

    async def lesson_summary(self, event):
        """The summary that follows a burst of changes (the app that builds the
        dashboard's events sends it)."""
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
