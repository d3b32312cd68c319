"""Channel-layer group names, built in one place."""


def board_group(board_id: int) -> str:
    return f"board.{board_id}"
