"""Background work for catalogue import: running an import job, and the one search-index rebuild
that follows a large import published in one go."""

from django.tasks import task


@task()
def run_import_job(job_id: int) -> None:
    from .transfer import run_queued_import

    run_queued_import(job_id)


@task()
def rebuild_search_index() -> None:
    from .search import rebuild

    rebuild()
