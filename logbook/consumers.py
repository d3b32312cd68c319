"""The pupil's own logbook page, live (routed in logbook/routing.py).

`ws/leerling/les/<lesson>/`: only a pupil who may read the lesson (the declared
operation `follow_own_logbook`), and each hears only their own entry: the consumer joins
the pupil's own group (`pupil.<id>`, where the teacher's overrides arrive as
`entry.changed`) and the class's (`lessons.changed`: the lesson starts, ends, or closes
its evaluation), and forwards only this lesson's messages. Thin like every consumer:
authorise, join, forward; the page fetches what it shows over HTTP.
"""

from channels.db import database_sync_to_async

from classroom.models import Group, Lesson
from classroom.permissions import pupil_of
from classroom.realtime.consumers import FORBIDDEN, GroupConsumer
from classroom.realtime.groups import class_group, pupil_group, voice_group


class PupilLessonConsumer(GroupConsumer):
    url_kwarg = "lesson_id"
    operation = "follow_own_logbook"

    def find(self, pk):
        return Lesson.objects.filter(pk=pk).first()

    @database_sync_to_async
    def _groups_for(self, pk: int, user=None) -> list[str] | None:
        user = user or self.scope["user"]
        lesson = self.find(pk)
        if lesson is None or not self.allowed(user, lesson):
            return None
        return [pupil_group(pupil_of(user).pk), class_group(lesson.group_id)]

    async def connect(self):
        pk = self.scope["url_route"]["kwargs"][self.url_kwarg]
        groups = await self._groups_for(pk)
        if groups is None:
            await self.close(code=FORBIDDEN)
            return
        self.lesson_id = pk
        self.joined = groups
        for name in groups:
            await self.channel_layer.group_add(name, self.channel_name)
        await self.join_personal()
        await self.accept()

    async def still_allowed(self, user) -> bool:
        # The same pupil, still allowed the lesson (moved to another group: no longer).
        return await self._groups_for(self.lesson_id, user) == self.joined

    async def disconnect(self, code):
        for name in getattr(self, "joined", []):
            await self.channel_layer.group_discard(name, self.channel_name)
        await self.leave_personal()

    async def entry_changed(self, event):
        if event["lesson"] == self.lesson_id:
            await self.forward(event)

    async def lessons_changed(self, event):
        if event["lesson"] == self.lesson_id:
            await self.forward(event)


class VoiceConsumer(GroupConsumer):
    """`ws/leerkracht/groep/<group>/nieuw/`: "nieuw van de klas" for the group's teachers
    (declared operation `follow_class_voice`). Hints only: the page fetches the stream."""

    url_kwarg = "group_id"
    operation = "follow_class_voice"

    def find(self, pk):
        return Group.objects.filter(pk=pk).first()

    def group_for(self, pk):
        return voice_group(pk)

    async def voice_changed(self, event):
        await self.forward(event)
