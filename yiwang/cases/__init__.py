"""办件: applications and cases from draft to delivery — numbering, the GB/T state machine,
per-item workflows with parallel department tasks, corrections (补正), special procedures,
deadlines on the working-day calendar, and 一件事 bundles. Pages, the API, commands and tasks
all change a case through ``services``."""
