"""好差评 services: ``ratings`` (rating, changing, invitations), ``rectification`` (整改 and 申诉),
``statistics`` (public figures). Pages, the API, commands and tasks call these; none repeats their
rules."""
