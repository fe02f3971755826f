"""Background work for the catalogue: keeping the search index in step with publication."""

from django.tasks import task


@task()
def reindex_item(item_id: int) -> None:
    from .search import index_item

    index_item(item_id)
