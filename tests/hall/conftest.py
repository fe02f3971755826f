from tests.hall.terminal_world import (  # noqa: F401 (fixtures)
    kiosk_world,
    monday_morning,
)
