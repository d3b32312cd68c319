"""The planbord's realtime message (see classroom.realtime.messages)."""

from typing import Literal, TypedDict

from classroom.realtime.messages import declare


class BoardChanged(TypedDict):
    """To `board.<id>`: the board changed; screens fetch it again (a hint, no data)."""

    type: Literal["board.changed"]
    board: int
    version: int


declare("board.changed", BoardChanged)
