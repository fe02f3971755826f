"""The hand-written demo catalogue, one module per area of government."""

from . import (
    construction,
    economy,
    education_health,
    justice_services,
    market,
    public_security,
    safety_transport,
    social_security,
    welfare,
)

MODULES = (public_security, market, social_security, welfare, education_health, construction,
           economy, safety_transport, justice_services)
ITEMS = tuple(spec for module in MODULES for spec in module.ITEMS)
