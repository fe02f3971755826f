"""The API contract: the OpenAPI document at /api/openapi.json says what the API answers.

- Every component name of the document stands for exactly one schema class (two classes of one
  name made the document describe one of them for both).
- Every integer a client sends has a range, and every operation documents its error answers
  with the one ``ErrorOut`` shape.
- schemathesis fuzzes every operation of the document (whatever operations there are when the
  test runs) on the demo data, unauthenticated and as a citizen, a company agent and a clerk:
  no 5xx, every status documented, every body and content type as documented.

The fuzzing is seeded (``derandomize``) and bounded (``MAX_EXAMPLES`` per operation and identity),
so a run is reproducible and takes a few minutes per database."""

from __future__ import annotations

import enum
import json
import typing
from collections import defaultdict

import pytest
import schemathesis
from django.contrib.auth import get_user_model
from django.db.models import Model
from django.test.client import ClientHandler
from hypothesis import HealthCheck, settings
from pydantic import BaseModel
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from yiwang.accounts.models import AgentAuthorization
from yiwang.api import api
from yiwang.cases.models import Bundle, BundleApplication, Case, CaseFile, CaseTask
from yiwang.catalog.models import GuideVersion, ImportJob, ServiceItem
from yiwang.complaints.models import Assignment, HotlineRequest
from yiwang.exchange.models import Registry, RegistryRecord

from .clients import VerifiedClient
from .demodata import demo_applicant

# The document as /api/openapi.json serves it (JSON: status codes are strings).
DOCUMENT = json.loads(json.dumps(api.get_openapi_schema()))
MAX_EXAMPLES = 12
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]


# --- the document -------------------------------------------------------------------------------


def _operations():
    for bound in api._get_bound_routers():
        for path_view in bound.path_operations.values():
            yield from path_view.operations


def _classes_in(annotation) -> typing.Iterator[type]:
    """The pydantic models and enums an annotation names, however nested (lists, unions,
    ``Annotated``, dicts)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel | enum.Enum):
        yield annotation
    for argument in typing.get_args(annotation):
        yield from _classes_in(argument)


def _reachable_classes() -> set[type]:
    """Every schema class the API's operations read or answer with, found by walking the fields
    of their request and response models."""
    seen: set[type] = set()
    pending = []
    for operation in _operations():
        pending += list(operation.signature.models)
        pending += [model for model in operation.response_models.values() if isinstance(model, type)]
    while pending:
        cls = pending.pop()
        if cls in seen:
            continue
        seen.add(cls)
        if issubclass(cls, BaseModel):
            for field in cls.model_fields.values():
                pending += [c for c in _classes_in(field.annotation) if c not in seen]
    return seen


def test_each_component_name_is_one_schema_class():
    classes_by_name = defaultdict(set)
    for cls in _reachable_classes():
        classes_by_name[cls.__name__].add(f"{cls.__module__}.{cls.__qualname__}")
    collisions = {name: sorted(classes_by_name[name])
                  for name in DOCUMENT["components"]["schemas"] if len(classes_by_name[name]) > 1}
    assert collisions == {}
    # The walk does find the document's schemas (a walk that found nothing could not fail).
    assert set(DOCUMENT["components"]["schemas"]) <= set(classes_by_name)


def test_walk_finds_a_collision(monkeypatch):
    """The check above fails when two classes share a name: a second ``ErrorOut`` answering
    some operation is reported."""
    from ninja import Schema

    class ErrorOut(Schema):  # same name as yiwang.common.schemas.ErrorOut, another shape
        reason: str

    operation = next(iter(_operations()))
    wrapped = operation._create_response_model(ErrorOut)
    monkeypatch.setitem(operation.response_models, 418, wrapped)
    names = defaultdict(set)
    for cls in _reachable_classes():
        names[cls.__name__].add(cls)
    assert len(names["ErrorOut"]) == 2


def _integer_schemas(schema, where):
    """(where, schema) for each integer in a request schema, following $refs."""
    if not isinstance(schema, dict):
        return
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        yield from _integer_schemas(DOCUMENT["components"]["schemas"][name], f"{where}→{name}")
        return
    if schema.get("type") == "integer":
        yield where, schema
    for key in ("anyOf", "oneOf", "allOf"):
        for i, part in enumerate(schema.get(key, [])):
            yield from _integer_schemas(part, where)
    for name, prop in schema.get("properties", {}).items():
        yield from _integer_schemas(prop, f"{where}.{name}")
    for key in ("items", "additionalProperties"):
        yield from _integer_schemas(schema.get(key), f"{where}[]")


def _request_integers():
    for path, methods in DOCUMENT["paths"].items():
        for method, operation in methods.items():
            label = f"{method.upper()} {path}"
            for parameter in operation.get("parameters", []):
                yield from _integer_schemas(parameter["schema"], f"{label} {parameter['name']}")
            for media in operation.get("requestBody", {}).get("content", {}).values():
                yield from _integer_schemas(media["schema"], f"{label} body")


def test_every_integer_a_client_sends_has_a_range():
    """An unbounded integer reaches the database as an OverflowError (SQLite) or an out-of-range
    error (PostgreSQL, MariaDB): a 500. yiwang.common.schemas has the bounded types."""
    integers = list(_request_integers())
    unbounded = [where for where, schema in integers
                 if "minimum" not in schema or "maximum" not in schema
                 or schema["maximum"] > 2**63 - 1 or schema["minimum"] < -(2**63)]
    assert integers and unbounded == []


def test_every_operation_documents_its_errors_with_the_error_shape():
    error_ref = {"$ref": "#/components/schemas/ErrorOut"}
    missing = []
    for path, methods in DOCUMENT["paths"].items():
        for method, operation in methods.items():
            responses = operation["responses"]
            expected = {"400", "404", "422"}
            if operation.get("security"):
                expected |= {"401", "403"}
            if method in {"post", "put", "patch", "delete"}:
                expected.add("409")
            for status in sorted(expected):
                schema = responses.get(status, {}).get("content", {}).get("application/json", {})
                if schema.get("schema") != error_ref:
                    missing.append(f"{method.upper()} {path} {status}")
            for status, answer in responses.items():
                if status.startswith("4"):
                    assert answer["content"]["application/json"]["schema"] == error_ref, (path, status)
    assert missing == []


@pytest.mark.parametrize("url", [
    "/api/catalog/items?page=1000000000000000000",
    "/api/catalog/items?department=1180591620717411303424",  # 2**70
    "/api/search?q=%E7%A4%BE%E4%BF%9D&department=1180591620717411303424&page=1000000000000000000",
    "/api/cases/progress?number=1180591620717411303424",
])
def test_huge_integers_get_the_json_error(client, db, url):
    answer = client.get(url)
    assert answer.status_code in (400, 404, 422), answer.content[:300]
    assert answer["Content-Type"] == "application/json; charset=utf-8"
    assert set(answer.json()) == {"code", "message", "details"}


def test_an_unknown_api_path_gets_the_json_error(client, db):
    answer = client.get("/api/no-such-operation/42")
    assert answer.status_code == 404
    assert answer.json()["code"] == "api.not_found"


def test_a_method_an_api_path_does_not_have_gets_the_json_error_with_its_allow_header(client, db):
    answer = client.delete("/api/catalog/items")
    assert answer.status_code == 405
    assert answer["Content-Type"] == "application/json; charset=utf-8"
    assert answer.json()["code"] == "api.method_not_allowed"
    assert answer.json()["details"] == {"allowed": ["GET"]}
    assert answer["Allow"] == "GET"


# --- fuzzing ------------------------------------------------------------------------------------


class _TestHandler(ClientHandler):
    """Django's test-client handler as a WSGI application, for schemathesis' WSGI transport: it
    keeps the test's transaction open across requests (no connection closed at request end) and
    skips the CSRF check, as the test client does. Authentication is the real one: the session
    cookie of a signed-in user (staff with the second factor satisfied, tests/clients.py)."""

    def __init__(self):
        super().__init__(enforce_csrf_checks=False)

    def __call__(self, environ, start_response):  # the WSGI protocol over ClientHandler's
        response = super().__call__(environ)
        cookies = [("Set-Cookie", morsel.output(header="")) for morsel in response.cookies.values()]
        headers = [*response.items(), *cookies]
        start_response(f"{response.status_code} {response.reason_phrase}", headers)
        # ClientHandler has closed the response already (or will, at the end of a stream) with
        # the connection kept; a second close() would end the request again and drop it.
        return response.streaming_content if response.streaming else [response.content]


# Coverage adds each parameter's boundary values (0, the maximum, one past it, …) to the random
# examples: the huge integers that once turned into 500s.
SCHEMA = schemathesis.openapi.from_dict(
    DOCUMENT, config=schemathesis.Config.from_dict({"phases": {"coverage": {"enabled": True}}}))
SCHEMA.app = _TestHandler()


def _session_cookie(user) -> dict[str, str]:
    if user is None:
        return {}
    client = VerifiedClient()
    client.force_login(user)
    return {name: morsel.value for name, morsel in client.cookies.items()}


def _identity(name: str):
    if name == "anonymous":
        return None
    citizen, company = demo_applicant()
    if name == "citizen":
        return citizen.user
    if name == "company_agent":
        authorization = AgentAuthorization.objects.filter(company=company).select_related("agent__user")
        return authorization.first().agent.user
    return get_user_model().objects.get(username="gaj_acceptor")


def _values(model: type[Model], field: str = "pk") -> list:
    return list(model.objects.order_by("pk").values_list(field, flat=True)[:50])


def _real_values() -> dict[str, list]:
    """Values of path parameters that exist in the demo, by parameter name: most examples use
    one of them, so fuzzing reaches real cases, tasks and items and not only 404s."""
    return {
        "case_id": _values(Case), "task_id": _values(CaseTask), "file_id": _values(CaseFile),
        "application_id": _values(BundleApplication), "item_id": _values(ServiceItem),
        "version_id": _values(GuideVersion), "job_id": _values(ImportJob),
        "slug": _values(Bundle, "slug"),
        "code": _values(ServiceItem, "handling_code") + _values(Registry, "code"),
        "subject_id_number": _values(RegistryRecord, "subject_id_number"),
        "number": _values(HotlineRequest, "number"), "assignment_id": _values(Assignment),
    }


def _with_real_path_values(case, real: dict[str, list]) -> None:
    """Replace two in three generated path parameters with a real value the generated one picks
    (deterministic, so a failing example replays)."""
    for name, value in list((case.path_parameters or {}).items()):
        pool = real.get(name)
        pick = int.from_bytes(str(value).encode()[-8:] or b"0", "big")
        if pool and pick % 3:
            case.path_parameters[name] = pool[pick % len(pool)]


@pytest.fixture(params=["anonymous", "citizen", "company_agent", "clerk"])
def identity_cookies(request, demo):
    return _session_cookie(_identity(request.param))


@pytest.fixture
def real_values(demo):
    return _real_values()


@pytest.mark.slow
@SCHEMA.parametrize()
@settings(max_examples=MAX_EXAMPLES, derandomize=True, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_document(case, identity_cookies, real_values):
    _with_real_path_values(case, real_values)
    response = case.call(cookies=identity_cookies)
    case.validate_response(response, checks=CHECKS)
