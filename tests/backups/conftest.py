"""A backup must see committed data from a connection of its own (pg_dump and mariadb-dump are
other processes), so these tests are transactional, not inside the ``demo`` transaction. A restore
goes into a new database created here and dropped afterwards; its name is random, so the three
engines' runs of scripts/testmatrix.py, and anyone else's run on the same server, never meet."""

from __future__ import annotations

import contextlib
import secrets

import pytest
from django.db import DEFAULT_DB_ALIAS, connections

from tests.cases.factories import World
from tests.catalog.searchkit import isolated_search_index
from yiwang.cases import services as cases


@pytest.fixture(autouse=True)
def own_media_and_index(settings, tmp_path):
    """Uploads and the search index of this test only: the set holds exactly its files."""
    settings.MEDIA_ROOT = tmp_path / "media"
    yield from isolated_search_index(settings, tmp_path)


@pytest.fixture
def site(transactional_db):
    """A small site with committed cases, uploaded files and an audit chain: one case accepted
    (two uploads, submit/accept/review records) and opened by a staff member (a personal-data
    view record)."""
    world = World()
    case = world.accepted()
    cases.view_case(world.examiner, case.pk, ip="2001:db8::1")
    world.case = case
    return world


def _create(original, name: str) -> None:
    with original.cursor() as cursor:
        if original.vendor == "mysql":
            cursor.execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin")
        else:
            cursor.execute(f'CREATE DATABASE "{name}"')


def _drop(original, name: str) -> None:
    with original.cursor() as cursor:
        if original.vendor == "mysql":
            cursor.execute(f"DROP DATABASE IF EXISTS `{name}`")
        else:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def new_database(transactional_db, tmp_path, settings):
    """``with new_database() as target:`` the configured database (the ``default`` alias, which
    the ORM, the services and ``verify_chain`` use) is a new, empty one, and MEDIA_ROOT an empty
    directory, until the block ends: a second site."""

    @contextlib.contextmanager
    def switched():
        settings.MEDIA_ROOT, media = tmp_path / "restored-media", settings.MEDIA_ROOT
        original = connections[DEFAULT_DB_ALIAS]
        name = f"test_yw_restore_{secrets.token_hex(6)}"
        if original.vendor == "sqlite":
            target_name = str(tmp_path / f"{name}.sqlite3")
        else:
            _create(original, name)
            target_name = name
        target = original.__class__({**original.settings_dict, "NAME": target_name}, DEFAULT_DB_ALIAS)
        connections[DEFAULT_DB_ALIAS] = target
        try:
            yield target
        finally:
            target.close()
            connections[DEFAULT_DB_ALIAS] = original
            settings.MEDIA_ROOT = media
            if original.vendor != "sqlite":
                _drop(original, name)

    return switched
