"""What the evaluation's parts tell each other: a rating given or changed opens a rectification
and moves the figures; an upheld appeal and a rectification's progress move the figures too."""

from django.dispatch import Signal

# rating, created (bool), previous_level (int or None): sent inside the rating's transaction.
rating_given = Signal()
# rating: an upheld appeal (申诉成立) has taken it out of the figures.
rating_excluded = Signal()
# rectification, previous_status
rectification_changed = Signal()
