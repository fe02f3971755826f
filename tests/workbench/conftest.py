"""A two-department world for the workbench and staff API tests: department A (吉林省公安厅) with
an author, an editor and a reviewer, and department B with its own editor."""

from html.parser import HTMLParser

import pytest

from tests.factories import DepartmentFactory, UserFactory, guide_data, staff
from yiwang.catalog import services
from yiwang.catalog.models import VersionStatus
from yiwang.orgs.models import Role


@pytest.fixture
def other_department(province):
    return DepartmentFactory(name="吉林省民政厅", code="12", region=province)


@pytest.fixture
def author(department):
    """The editor who drafts the items below, so ``editor`` and ``reviewer`` are not authors."""
    return staff(department, Role.CATALOG_EDITOR, username="author")


@pytest.fixture
def other_editor(other_department):
    return staff(other_department, Role.CATALOG_EDITOR, username="editor_b")


@pytest.fixture
def superuser(db):
    user = UserFactory(username="root", is_superuser=True, is_staff=True)
    user.save()
    return user


def make_item(department, actor, **guide):
    return services.create_item(department=department, item_type="01", level="2",
                                guide=guide_data(**guide), actor=actor)


def advance(item, to: str, *, editor, reviewer):
    """Move an item's first version along the review flow up to status ``to``."""
    version = item.versions.get()
    steps = [
        (VersionStatus.SUBMITTED, lambda: services.submit_version(version, actor=editor)),
        (VersionStatus.APPROVED, lambda: services.approve_version(version, actor=reviewer)),
        (VersionStatus.PUBLISHED, lambda: services.publish_version(version, actor=reviewer)),
    ]
    for status, step in steps:
        if version.status == to:
            break
        version = step()
    version.refresh_from_db()
    assert version.status == to
    return version


@pytest.fixture
def draft_item(department, author):
    return make_item(department, author)


@pytest.fixture
def submitted_item(draft_item, author, reviewer):
    advance(draft_item, VersionStatus.SUBMITTED, editor=author, reviewer=reviewer)
    return draft_item


@pytest.fixture
def approved_item(draft_item, author, reviewer):
    advance(draft_item, VersionStatus.APPROVED, editor=author, reviewer=reviewer)
    return draft_item


@pytest.fixture
def published_item(draft_item, author, reviewer):
    advance(draft_item, VersionStatus.PUBLISHED, editor=author, reviewer=reviewer)
    draft_item.refresh_from_db()
    return draft_item


class _FormReader(HTMLParser):
    """Collect what a browser would post from the first ``<form class="guide-form">``: text
    inputs, checked boxes, selected options, textareas; nothing inside ``<template>``."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.fields: list[tuple[str, str]] = []
        self.in_form = self.done = False
        self.template_depth = 0
        self.select: dict | None = None
        self.textarea: dict | None = None
        self.option: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and "guide-form" in (a.get("class") or "") and not self.done:
            self.in_form = True
        if not self.in_form:
            return
        if tag == "template":
            self.template_depth += 1
        if self.template_depth:
            return
        if tag == "input" and a.get("name") and a.get("type") not in ("submit", "button"):
            if a.get("type") == "checkbox":
                if "checked" in a:
                    self.fields.append((a["name"], a.get("value") or "on"))
            else:
                self.fields.append((a["name"], a.get("value") or ""))
        elif tag == "select":
            self.select = {"name": a.get("name"), "first": None, "chosen": None}
        elif tag == "option" and self.select is not None:
            self.option = {"value": a.get("value", ""), "selected": "selected" in a}
            if self.select["first"] is None:
                self.select["first"] = self.option["value"]
            if self.option["selected"]:
                self.select["chosen"] = self.option["value"]
        elif tag == "textarea":
            self.textarea = {"name": a.get("name"), "text": ""}

    def handle_endtag(self, tag):
        if not self.in_form:
            return
        if tag == "template":
            self.template_depth -= 1
        elif tag == "form":
            self.in_form, self.done = False, True
        elif self.template_depth:
            return
        elif tag == "select" and self.select is not None:
            chosen = self.select["chosen"] if self.select["chosen"] is not None else self.select["first"]
            self.fields.append((self.select["name"], chosen or ""))
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            self.fields.append((self.textarea["name"], self.textarea["text"].removeprefix("\n")))
            self.textarea = None

    def handle_data(self, data):
        if self.textarea is not None and not self.template_depth:
            self.textarea["text"] += data


def editor_form(response) -> dict[str, list[str]]:
    """The guide editor form of a rendered page, as the browser would post it unchanged."""
    reader = _FormReader()
    reader.feed(response.content.decode())
    posted: dict[str, list[str]] = {}
    for name, value in reader.fields:
        posted.setdefault(name, []).append(value)
    return posted
