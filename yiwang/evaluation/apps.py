from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "yiwang.evaluation"
    label = "evaluation"
    verbose_name = "好差评"

    def ready(self) -> None:
        from . import signals
        from .services import statistics

        # The public figures follow every rating, exclusion and rectification step.
        signals.rating_given.connect(statistics.on_rating_given,
                                     dispatch_uid="evaluation.statistics.rating_given")
        signals.rating_excluded.connect(statistics.on_rating_excluded,
                                        dispatch_uid="evaluation.statistics.rating_excluded")
        signals.rectification_changed.connect(
            statistics.on_rectification_changed,
            dispatch_uid="evaluation.statistics.rectification_changed")
