"""Search over published items. Interface used by the rest of the code; the engine lives in
``engine.py``."""


def index_item(item_id: int) -> None:
    """Add, update or remove one item in the index to match its published state."""
    raise NotImplementedError
