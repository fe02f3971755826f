from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "yiwang.evaluation"
    label = "evaluation"
    verbose_name = "好差评"

    def ready(self) -> None:
        from . import signals
        from .services import rectification, statistics

        # A 差评 opens its rectification; the public figures follow every rating, exclusion and
        # rectification step.
        signals.rating_given.connect(rectification.on_rating_given,
                                     dispatch_uid="evaluation.rectification.on_rating_given")
        signals.rating_given.connect(statistics.on_rating_given,
                                     dispatch_uid="evaluation.statistics.rating_given")
        signals.rating_excluded.connect(statistics.on_rating_excluded,
                                        dispatch_uid="evaluation.statistics.rating_excluded")
        signals.rectification_changed.connect(
            statistics.on_rectification_changed,
            dispatch_uid="evaluation.statistics.rectification_changed")
