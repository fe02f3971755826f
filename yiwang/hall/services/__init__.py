"""The hall's actions, one module per part: ``hours`` (opening hours from the working-day
calendar), ``setup`` (windows, queues, stationed items, rosters), ``windows`` (signing in to a
window), ``appointments``, ``tickets`` and ``calling``, ``frontdesk`` (一窗受理, 核验原件, 帮办代办),
``pickup`` (统一出件), ``terminals`` and ``figures``. Pages, the API, commands and tasks call
these; each owns its transaction and audit record."""
