"""ASGI entry point (e.g. ``uvicorn yiwang.asgi:application``). Under ASGI the hall's display
stream (``hall.views.display.board_events``) stays open and pushes each change; under WSGI it
answers one change per request and the browser reconnects."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yiwang.settings")
application = get_asgi_application()
