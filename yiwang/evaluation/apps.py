from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "yiwang.evaluation"
    label = "evaluation"
    verbose_name = "好差评"

    def ready(self):
        from . import signals
        from .services import rectification

        signals.rating_given.connect(rectification.on_rating_given,
                                     dispatch_uid="evaluation.rectification.on_rating_given")
