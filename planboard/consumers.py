"""The planbord's WebSocket consumer (routed in planboard/routing.py)."""

from classroom.realtime.consumers import GroupConsumer
from classroom.realtime.groups import board_group

from .models import Board


class BoardConsumer(GroupConsumer):
    """`ws/planbord/<board>/`: tells every screen of a planbord when it changed."""

    url_kwarg = "board_id"

    def find(self, pk):
        return Board.objects.filter(pk=pk).first()

    def group_for(self, pk):
        return board_group(pk)

    async def board_changed(self, event):
        # The declared shape (planboard/messages.py), encoded once by the sender.
        await self.forward(event)
