from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "yiwang.evaluation"
    label = "evaluation"
    verbose_name = "好差评"

    def ready(self) -> None:
        from yiwang.cases.services import case_closed, case_delivered
        from yiwang.hall.services.calling import ticket_finished

        from . import receivers

        case_delivered.connect(receivers.on_case_delivered, dispatch_uid="evaluation.case_delivered")
        case_closed.connect(receivers.on_case_closed, dispatch_uid="evaluation.case_closed")
        ticket_finished.connect(receivers.on_ticket_finished, dispatch_uid="evaluation.ticket_finished")
