"""The data ``manage.py load_demo`` creates, for tests: the demo is what a new user meets first, so
the demo itself is tested (README: the walk-throughs run on it, not on hand-made fixtures).

Loading takes a few seconds, so it happens once per run and database, in one of two ways:

- ``DemoTransaction``: loaded inside an outer transaction that is rolled back when the last test
  using the ``demo`` fixture (tests/conftest.py) has run; each test runs in a savepoint inside it.
  Those tests are run one after the other (see ``keep_demo_tests_together``) so no other test
  sees the demo.
- ``committed_demo``: loaded and committed, for a browser test's live server (another thread, on
  PostgreSQL and MariaDB another connection); the tables are emptied afterwards as a
  transactional test's are. ``live_site`` runs the server on it; the browser tests share one
  (the ``demo_site`` fixture, tests/browser/conftest.py), kept together as the ``demo`` tests
  are and closed after the last of them.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from io import StringIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.test import override_settings
from hypothesis import find
from hypothesis import strategies as st

from yiwang.accounts.models import Citizen, Company
from yiwang.demo.identities import COMPANY

DEMO_FIXTURE = "demo"
DEMO_SITE_FIXTURE = "demo_site"
DUMMY_TASKS = "django.tasks.backends.dummy.DummyBackend"
MATERIAL_PDF = b"%PDF-1.4\n% yiwang test material\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def load() -> str:
    """Run ``manage.py load_demo`` and return what it printed."""
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


class DemoTransaction:
    """The demo, loaded once inside a transaction that ``close`` rolls back."""

    def __init__(self, blocker):
        self.blocker = blocker
        self.atomic = None
        self.output = ""
        self.closed = False

    def open(self) -> str:
        if self.atomic is None:
            with self.blocker.unblock():
                self.atomic = transaction.atomic()
                self.atomic.__enter__()
                self.output = load()
        return self.output

    def close(self) -> None:
        if self.atomic is not None and not self.closed:
            with self.blocker.unblock():
                transaction.set_rollback(True)
                self.atomic.__exit__(None, None, None)
        self.closed = True


def uses_demo(item, fixture: str = DEMO_FIXTURE) -> bool:
    return fixture in getattr(item, "fixturenames", ())


def keep_demo_tests_together(items: list, fixture: str = DEMO_FIXTURE) -> None:
    """Move every test that uses the demo's ``fixture`` next to the first one, in their order, so
    the demo is there for them only. pytest-django has already sorted the tests by database use;
    the ``demo`` tests all use ``db`` and the ``demo_site`` ones none of its fixtures, so each
    block stays within its group."""
    demo = [item for item in items if uses_demo(item, fixture)]
    if not demo:
        return
    first = items.index(demo[0])
    rest = [item for item in items if not uses_demo(item, fixture)]
    items[:] = rest[:first] + demo + rest[first:]


def _uses_database(item) -> bool:
    """Whether pytest-django sets up the test database for ``item`` (its rule, in short)."""
    from django.test import TransactionTestCase

    cls = getattr(item, "cls", None)
    fixtures = set(getattr(item, "fixturenames", ()))
    return bool((cls and issubclass(cls, TransactionTestCase)) or item.get_closest_marker("django_db")
                or fixtures & {"db", "transactional_db", "live_server"})


@contextlib.contextmanager
def database_for(session, blocker):
    """The test database, for tests that use it through none of pytest-django's fixtures (a live
    server of their own): pytest-django creates it only when a selected test asks for it."""
    if any(_uses_database(item) for item in session.items):
        yield
        return
    from django.test.utils import setup_databases, teardown_databases

    with blocker.unblock():
        created = setup_databases(verbosity=0, interactive=False, aliases={"default"})
    try:
        yield
    finally:
        with blocker.unblock():
            teardown_databases(created, verbosity=0)


@contextlib.contextmanager
def committed_demo(blocker):
    """The demo loaded and committed, with database access allowed meanwhile (the live server's
    thread and the test both read it); afterwards every table is emptied. The search index is
    built once afterwards: the reindex task that each published item queues on commit would
    otherwise run hundreds of times at the commit (the immediate task backend of the tests)."""
    with blocker.unblock():
        try:
            with override_settings(TASKS={"default": {"BACKEND": DUMMY_TASKS}}):
                output = load()
            call_command("rebuild_search_index", verbosity=0)
            yield output
        finally:
            for alias in connections:
                call_command("flush", database=alias, interactive=False, verbosity=0)
            # With Playwright's event loop running in this thread, Django keeps this thread's
            # connections apart from those opened before it started (asgiref's Local turns into
            # a context variable), and pytest-django closes only the latter when it drops the
            # test database: PostgreSQL refuses while these are open.
            connections.close_all()


@contextlib.contextmanager
def live_site(blocker, index_dir):
    """A live server on the committed demo, with a search index of its own in ``index_dir``."""
    from pytest_django.live_server_helper import LiveServer

    from yiwang.catalog.search import store, synonyms

    with override_settings(SEARCH_INDEX_DIR=index_dir):
        store.reset()
        synonyms.clear_cache()
        # The server's request threads must not keep their connections (CONN_MAX_AGE) past the
        # server: PostgreSQL refuses to drop the test database while a session is open on it.
        database = connections.settings[DEFAULT_DB_ALIAS]
        max_age, database["CONN_MAX_AGE"] = database["CONN_MAX_AGE"], 0
        try:
            with committed_demo(blocker):
                server = LiveServer("localhost")
                server._live_server_modified_settings.enable()
                try:
                    yield server
                finally:
                    server._live_server_modified_settings.disable()
                    server.stop()
        finally:
            database["CONN_MAX_AGE"] = max_age
            store.reset()
            synonyms.clear_cache()


# --- applying as the demo's people ----------------------------------------------------------


def demo_applicant() -> tuple[Citizen, Company]:
    """王芳: L3 (实名核验 in person), legal representative of the demo company, so she may apply
    for every item: for herself, or in the company's name."""
    company = Company.objects.select_related("legal_representative__user").get(uscc=COMPANY[1])
    return company.legal_representative, company


def _text(field: dict) -> str:
    if field.get("pattern"):
        limit = field.get("max_length") or 200
        return find(st.from_regex(field["pattern"], fullmatch=True), lambda s: 0 < len(s) <= limit)
    return f"{field['label']}（测试）"[: field.get("max_length") or 200]


def valid_value(field: dict, citizen: Citizen, company: Company):
    """A value ``catalog.formdef`` accepts for ``field``, made from its definition alone."""
    return {
        "checkbox": lambda: True,
        "number": lambda: "1",
        "date": lambda: dt.date.today().isoformat(),
        "select": lambda: field["options"][0],
        "id_number": lambda: citizen.id_number,
        "uscc": lambda: company.uscc,
        "phone": lambda: citizen.mobile,
        "email": lambda: "test@example.cn",
    }.get(field["type"], lambda: _text(field))()


def valid_form_data(definition: list[dict], citizen: Citizen, company: Company) -> dict:
    return {field["name"]: valid_value(field, citizen, company) for field in definition}


def material_file(name: str) -> SimpleUploadedFile:
    """A small valid PDF for the material ``name``."""
    return SimpleUploadedFile(f"{name[:40]}.pdf", MATERIAL_PDF, content_type="application/pdf")


def certified(case):
    """An accepted demo case of 市场监管 (with 卫健 reviewing beside it where the item asks for
    it) reviewed, decided and certified by the demo's staff through the services, as far as it has
    not got yet; for walk-throughs that need it further than the demo leaves it."""
    from django.contrib.auth import get_user_model

    from yiwang.cases import services as cases
    from yiwang.cases.models import CaseTask, Status, TaskKind

    staff = get_user_model().objects.get
    for task in CaseTask.objects.filter(case=case, kind=TaskKind.REVIEW,
                                        status__in=["open", "claimed"]):
        examiner = "scjg_examiner" if "市场" in task.department.name else "wjw_examiner"
        cases.complete_review(task, staff(username=examiner), approve=True, opinion="符合条件")
    case.refresh_from_db()
    if case.status == Status.REVIEWING:
        cases.decide(case, staff(username="scjg_decider"), outcome="approved")
        case.refresh_from_db()
    if case.status == Status.APPROVED:
        cases.certify(case, staff(username="scjg_decider"))
        case.refresh_from_db()
    return case
