"""Case numbers and claims under concurrent requests, on a real server database. SQLite's test
database lives in memory and cannot be shared between threads, so these run on PostgreSQL and
MariaDB (the suite runs on both in CI)."""

import pytest
from django.db import connection

from tests.accounts.factories import citizen
from tests.cases.factories import World
from tests.concurrency import in_threads
from yiwang.cases import services
from yiwang.cases.errors import TaskTaken
from yiwang.cases.models import Case, CaseTask, TaskKind

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor == "sqlite",
                       reason="需要可多线程共享的数据库（PostgreSQL 或 MariaDB）"),
]


def test_concurrent_submissions_get_distinct_consecutive_numbers():
    world = World()
    # Eight applicants: one applicant applying again continues their one open draft.
    drafts = [world.draft(applicant=citizen(f"申请人{i}").user) for i in range(8)]
    results, errors = in_threads(8, lambda i: services.submit(drafts[i], drafts[i].applicant).number)
    assert errors == []
    assert sorted(n[-6:] for n in results) == [f"{i:06d}" for i in range(1, 9)]
    assert Case.objects.exclude(number=None).count() == 8


def test_concurrent_retries_with_one_key_create_one_case():
    world = World()
    draft = world.draft()
    results, errors = in_threads(4, lambda i: services.submit(draft, world.user, key="same").pk)
    assert errors == [] and set(results) == {draft.pk}
    assert Case.objects.exclude(number=None).count() == 1


def test_two_clerks_claiming_at_once_one_wins():
    from tests.factories import staff
    from yiwang.orgs.models import Role

    world = World()
    second = staff(world.market, Role.EXAMINER, username="examiner2")
    case = world.accepted()
    task = CaseTask.objects.get(case=case, kind=TaskKind.REVIEW, department=world.market)
    users = [world.examiner, second]
    results, errors = in_threads(2, lambda i: services.claim(task, users[i]).assignee_id)
    assert len(results) == 1 and len(errors) == 1 and isinstance(errors[0], TaskTaken)
    assert CaseTask.objects.get(pk=task.pk).assignee_id == results[0]
