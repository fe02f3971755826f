"""The 12345 pages: ``portal`` (the requester's, namespace ``complaints``) and ``workbench``
(the hotline's and the departments', namespace ``hotline``)."""
