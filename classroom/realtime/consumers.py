"""WebSocket consumers. They authenticate (the session, through the ASGI stack),
authorise through classroom.permissions, join their group and forward hints. Nothing
else: state is fetched over HTTP, so a missed message costs nothing."""

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from classroom.permissions import can_read

from .groups import board_group

FORBIDDEN = 4403


class BoardConsumer(AsyncJsonWebsocketConsumer):
    """`ws/planbord/<board>/`: tells every screen of a planbord when it changed."""

    group_name = None

    @database_sync_to_async
    def _may_read(self, board_id: int) -> bool:
        from planboard.models import Board

        board = Board.objects.filter(pk=board_id).first()
        return board is not None and can_read(self.scope["user"], board)

    async def connect(self):
        board_id = self.scope["url_route"]["kwargs"]["board_id"]
        if not await self._may_read(board_id):
            await self.close(code=FORBIDDEN)
            return
        self.group_name = board_group(board_id)
        await self.channel_layer.group_add(self.group_name, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        if self.group_name:
            await self.channel_layer.group_discard(self.group_name, self.channel_name)

    async def board_changed(self, event):
        await self.send_json({"type": "board.changed", "version": event["version"]})
