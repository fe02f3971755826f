from django.tasks import task


@task()
def archive_case(case_id: int) -> str:
    """归档 of one closed case; returns the package's 办件编号."""
    from yiwang.cases.models import Case

    from .services import form_package

    return form_package(Case.objects.get(pk=case_id)).number
