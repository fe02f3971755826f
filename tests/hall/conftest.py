from tests.hall.terminal_world import (  # noqa: F401 (fixtures)
    hall_stand_ins,
    kiosk_world,
    monday_morning,
)
