"""The hall's JSON API: booking for citizens, tickets and the display feed for terminals and
screens, calling for window clerks. Each part contributes a router."""

from ninja import Router

from . import appointments, terminals, tickets

router = Router()
router.add_router("/appointments", appointments.router)
router.add_router("/tickets", tickets.router)
router.add_router("/terminals", terminals.router)
