"""电子监察 (electronic supervision): the tamper-evident audit log. Services append to it with
``audit.record`` inside their own transaction; ``audit.verify_chain`` and ``manage.py verify_audit``
prove that no record was edited, removed or reordered since it was written. The workbench's
数据共享监督 page (``views.sharing``) shows supervisors the figures of ``exchange.metrics`` over
their regions (``selectors``)."""
