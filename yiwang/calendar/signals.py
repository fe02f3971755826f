"""``calendar_changed`` is sent after a calendar change has been committed, with

- ``change``: the ``services.CalendarChange`` (dates created, updated, removed; years now known),
- ``years``: the years whose working days may have changed,
- ``region_path``: "" for a nationwide change, else the ``Region.path`` of the region whose
  calendar changed — it applies to that region and every region under it (prefix match).

Deadlines computed for those years and regions, above all provisional ones, should be computed
again (the cases app listens). A receiver running in another process should call
``workdays.invalidate()`` before recomputing.
"""

from django.dispatch import Signal

calendar_changed = Signal()
