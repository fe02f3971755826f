from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "yiwang.evaluation"
    label = "evaluation"
    verbose_name = "好差评"

    def ready(self) -> None:
        from yiwang.cases.services import case_closed, case_delivered
        from yiwang.hall.services.calling import ticket_finished

        from . import receivers, signals
        from .services import rectification, statistics

        # Invitations to rate at the natural moments: a case delivered or closed, a ticket done.
        case_delivered.connect(receivers.on_case_delivered, dispatch_uid="evaluation.case_delivered")
        case_closed.connect(receivers.on_case_closed, dispatch_uid="evaluation.case_closed")
        ticket_finished.connect(receivers.on_ticket_finished, dispatch_uid="evaluation.ticket_finished")
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
