"""Open311 GeoReport v2 (/open311/v2/): every endpoint in JSON and XML (the XML parsed with
xml.etree, in the spec's element names), a POST with an API key becoming a 12345 request that the
public GET and the token find, and the refusals in the spec's error shape: an unknown service
code, a missing required attribute, a value outside a list, no location, a bad api_key. The public
lists never carry a name or a phone."""

from __future__ import annotations

import json
from io import StringIO
from xml.etree import ElementTree

import pytest
from django.core.management import call_command

from tests.complaints.factories import HotlineWorld
from yiwang.complaints.models import (
    HotlineRequest,
    Open311Attribute,
    Open311Client,
    Open311Service,
    RequestChannel,
    RequestKind,
    RequestStatus,
)
from yiwang.complaints.open311 import services as open311
from yiwang.complaints.services import requests as svc

V2 = "/open311/v2"
PHONE = "13904319876"


class Open311World(HotlineWorld):
    def __init__(self):
        super().__init__()
        self.streetlight = Open311Service.objects.create(
            code="streetlight", name="路灯损坏", description="路灯不亮或灯杆损坏", group="市政设施",
            keywords="路灯 灯杆", kind=RequestKind.HELP, region=self.changchun,
            department=self.market)
        Open311Attribute.objects.create(
            service=self.streetlight, code="fault", datatype=Open311Attribute.Datatype.SINGLEVALUELIST,
            required=True, description="故障情况", order=1,
            values=[{"key": "dark", "name": "不亮"}, {"key": "flicker", "name": "闪烁"}])
        Open311Attribute.objects.create(
            service=self.streetlight, code="hours", datatype=Open311Attribute.Datatype.MULTIVALUELIST,
            description="发生时段", order=2,
            values=[{"key": "day", "name": "白天"}, {"key": "night", "name": "夜间"}])
        self.vending = Open311Service.objects.create(
            code="street_vending", name="占道经营", kind=RequestKind.COMPLAINT, region=self.changchun)
        self.report = Open311Service.objects.create(
            code="tipoff", name="违法线索", kind=RequestKind.REPORT, region=self.changchun)
        self.client_app, self.key = open311.create_client("长春随手拍")

    def post(self, client, fmt="json", **fields):
        data = {"api_key": self.key, "service_code": "streetlight", "lat": "43.817100",
                "long": "125.323500", "attribute[fault]": "dark", "first_name": "明",
                "last_name": "李", "phone": PHONE, "email": "liming@example.com",
                "description": "人民大街与解放大路路口东侧路灯整夜不亮", **fields}
        return client.post(f"{V2}/requests.{fmt}", {k: v for k, v in data.items() if v is not None})


@pytest.fixture
def world(db):
    return Open311World()


def xml(answer) -> ElementTree.Element:
    assert answer["Content-Type"].startswith("text/xml")
    return ElementTree.fromstring(answer.content)


def error_of(answer, fmt: str) -> tuple[int, str]:
    if fmt == "json":
        (body,) = answer.json()
        return body["code"], body["description"]
    root = xml(answer)
    assert root.tag == "errors" and len(root) == 1
    return int(root.findtext("error/code")), root.findtext("error/description")


# --- services ---------------------------------------------------------------------------------------


def test_services_list_in_json(client, world):
    services = {s["service_code"]: s for s in client.get(f"{V2}/services.json").json()}
    assert set(services) == {"streetlight", "street_vending", "tipoff"}
    assert services["streetlight"] == {
        "service_code": "streetlight", "service_name": "路灯损坏", "description": "路灯不亮或灯杆损坏",
        "metadata": True, "type": "realtime", "keywords": "路灯,灯杆", "group": "市政设施"}
    assert services["street_vending"]["metadata"] is False


def test_services_list_in_xml(client, world):
    root = xml(client.get(f"{V2}/services.xml"))
    assert root.tag == "services"
    light = next(s for s in root.findall("service") if s.findtext("service_code") == "streetlight")
    assert (light.findtext("service_name"), light.findtext("metadata"), light.findtext("type")) == (
        "路灯损坏", "true", "realtime")


def test_an_inactive_service_is_not_offered(client, world):
    Open311Service.objects.filter(pk=world.vending.pk).update(active=False)
    codes = [s["service_code"] for s in client.get(f"{V2}/services.json").json()]
    assert "street_vending" not in codes
    assert client.get(f"{V2}/services/street_vending.json").status_code == 404


def test_service_definition_in_json_and_xml(client, world):
    definition = client.get(f"{V2}/services/streetlight.json").json()
    fault, hours = definition["attributes"]
    assert definition["service_code"] == "streetlight"
    assert fault == {"variable": True, "code": "fault", "datatype": "singlevaluelist",
                     "required": True, "datatype_description": "", "order": 1,
                     "description": "故障情况",
                     "values": [{"key": "dark", "name": "不亮"}, {"key": "flicker", "name": "闪烁"}]}
    assert (hours["code"], hours["required"]) == ("hours", False)
    root = xml(client.get(f"{V2}/services/streetlight.xml"))
    assert root.tag == "service_definition" and root.findtext("service_code") == "streetlight"
    attribute = root.find("attributes/attribute")
    assert (attribute.findtext("code"), attribute.findtext("required"),
            attribute.findtext("variable")) == ("fault", "true", "true")
    assert [v.findtext("key") for v in attribute.findall("values/value")] == ["dark", "flicker"]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_an_unknown_service_definition_is_a_404_error(client, world, fmt):
    answer = client.get(f"{V2}/services/nothing.{fmt}")
    assert answer.status_code == 404
    assert error_of(answer, fmt) == (404, "没有服务代码为 nothing 的服务")


# --- filing a request -------------------------------------------------------------------------------


def test_a_posted_request_becomes_a_dispatched_12345_request(client, world):
    answer = world.post(client, **{"attribute[hours][]": ["night", "day"]})
    assert answer.status_code == 201
    (body,) = answer.json()
    request = HotlineRequest.objects.get(number=body["service_request_id"])
    assert body["account_id"] is None and body["token"]
    assert request.number in body["service_notice"]
    assert (request.channel, request.kind, request.region, request.open311_service) == (
        RequestChannel.OPEN311, RequestKind.HELP, world.changchun, world.streetlight)
    assert request.title == "路灯损坏：人民大街与解放大路路口东侧路灯整夜不亮"
    assert request.attributes == {"fault": "dark", "hours": ["night", "day"]}
    assert (request.requester_name, request.requester_phone) == ("李明", PHONE)
    assert (str(request.latitude), str(request.longitude)) == ("43.817100", "125.323500")
    # Dispatched to the service's department, since no rule took it.
    assert (request.status, request.department) == (RequestStatus.DISPATCHED, world.market)
    assert svc.request_by_token(body["token"]) == request


def test_a_posted_request_is_found_by_get_and_by_its_token(client, world):
    (body,) = world.post(client).json()
    number, token = body["service_request_id"], body["token"]
    (found,) = client.get(f"{V2}/requests/{number}.json").json()
    assert (found["service_request_id"], found["status"], found["service_code"],
            found["agency_responsible"], found["lat"], found["long"]) == (
        number, "open", "streetlight", "长春市市场监督管理局", 43.8171, 125.3235)
    assert found["requested_datetime"].endswith("+08:00")
    assert found["updated_datetime"] >= found["requested_datetime"]
    assert [r["service_request_id"] for r in client.get(f"{V2}/requests.json").json()] == [number]
    assert client.get(f"{V2}/tokens/{token}.json").json() == [
        {"service_request_id": number, "token": token}]
    root = xml(client.get(f"{V2}/tokens/{token}.xml"))
    assert root.tag == "service_requests" and root.findtext("request/service_request_id") == number
    root = xml(client.get(f"{V2}/requests/{number}.xml"))
    assert root.findtext("request/service_request_id") == number
    assert root.findtext("request/status") == "open"


def test_a_post_in_xml_answers_in_xml(client, world):
    answer = world.post(client, fmt="xml")
    root = xml(answer)
    assert answer.status_code == 201 and root.tag == "service_requests"
    number = root.findtext("request/service_request_id")
    assert HotlineRequest.objects.filter(number=number).exists()
    assert root.findtext("request/token") and root.findtext("request/account_id") == ""


def test_an_answered_request_is_closed_with_the_answer_as_status_notes(client, world):
    (body,) = world.post(client).json()
    request = HotlineRequest.objects.get(number=body["service_request_id"])
    assignment = svc.accept(world.handler, request.assignments.get())
    svc.answer(world.handler, assignment, "已通知路灯维护单位，当晚修复。")
    (found,) = client.get(f"{V2}/requests/{request.number}.json").json()
    assert (found["status"], found["status_notes"]) == ("closed", "已通知路灯维护单位，当晚修复。")
    assert [r["service_request_id"] for r in
            client.get(f"{V2}/requests.json", {"status": "closed"}).json()] == [request.number]
    assert client.get(f"{V2}/requests.json", {"status": "open"}).json() == []


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_an_unknown_service_code_is_refused(client, world, fmt):
    answer = world.post(client, fmt=fmt, service_code="nothing")
    assert answer.status_code == 404 and error_of(answer, fmt)[0] == 404
    assert not HotlineRequest.objects.exists()


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_missing_required_attribute_is_refused(client, world, fmt):
    answer = world.post(client, fmt=fmt, **{"attribute[fault]": None})
    assert answer.status_code == 400
    assert error_of(answer, fmt) == (400, "请填写故障情况（attribute[fault]）")
    assert not HotlineRequest.objects.exists()


def test_a_value_outside_a_list_is_refused(client, world):
    for fields in ({"attribute[fault]": "burning"}, {"attribute[hours][]": ["day", "dusk"]}):
        answer = world.post(client, **fields)
        assert answer.status_code == 400 and "取值无效" in error_of(answer, "json")[1]
    assert not HotlineRequest.objects.exists()


def test_a_location_is_required(client, world):
    answer = world.post(client, lat=None, long=None)
    assert answer.status_code == 400 and "address_string" in error_of(answer, "json")[1]
    assert world.post(client, lat="91", long="125").status_code == 400
    answer = world.post(client, lat=None, long=None, address_string="长春市人民大街2688号")
    assert answer.status_code == 201
    assert HotlineRequest.objects.get().address == "长春市人民大街2688号"


def test_a_phone_is_required_as_for_every_request(client, world):
    answer = world.post(client, phone=None)
    assert answer.status_code == 400 and "联系电话" in error_of(answer, "json")[1]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_bad_or_missing_api_key_is_refused(client, world, fmt):
    for key in ("guess", None):
        answer = world.post(client, fmt=fmt, api_key=key)
        assert answer.status_code == 403 and error_of(answer, fmt) == (403, "api_key 无效")
    Open311Client.objects.update(active=False)
    assert world.post(client, fmt=fmt).status_code == 403
    assert not HotlineRequest.objects.exists()


def test_a_post_needs_no_csrf_token(world):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert world.post(strict).status_code == 201


# --- the public lists -------------------------------------------------------------------------------


def test_personal_data_is_never_in_the_public_lists(client, world):
    (body,) = world.post(client).json()
    number = body["service_request_id"]
    for path in (f"{V2}/requests.json", f"{V2}/requests.xml", f"{V2}/requests/{number}.json",
                 f"{V2}/requests/{number}.xml", f"{V2}/tokens/{body['token']}.xml"):
        page = client.get(path).content.decode()
        assert number in page
        for personal in ("李明", "李", PHONE, PHONE[-4:], "liming@example.com"):
            assert personal not in page, (path, personal)


def test_only_open311_requests_and_no_report_are_public(client, world):
    web, _ = world.submit()
    world.post(client, service_code="tipoff", **{"attribute[fault]": None})
    tipoff = HotlineRequest.objects.get(open311_service=world.report)
    assert client.get(f"{V2}/requests.json").json() == []
    for number in (web.number, tipoff.number):
        assert client.get(f"{V2}/requests/{number}.json").status_code == 404


def test_get_requests_filters(client, world):
    (light,) = world.post(client).json()
    (vending,) = world.post(client, service_code="street_vending").json()
    by_code = client.get(f"{V2}/requests.json", {"service_code": "street_vending"}).json()
    assert [r["service_request_id"] for r in by_code] == [vending["service_request_id"]]
    both = ",".join((light["service_request_id"], vending["service_request_id"]))
    assert len(client.get(f"{V2}/requests.json", {"service_request_id": both}).json()) == 2
    old = client.get(f"{V2}/requests.json", {"start_date": "2020-01-01T00:00:00+08:00",
                                             "end_date": "2020-02-01T00:00:00+08:00"}).json()
    assert old == []


@pytest.mark.parametrize("params", [
    {"start_date": "yesterday"}, {"status": "pending"},
    {"start_date": "2020-01-01T00:00:00Z", "end_date": "2020-06-01T00:00:00Z"}])
def test_bad_filters_are_400_errors(client, world, params):
    answer = client.get(f"{V2}/requests.xml", params)
    assert answer.status_code == 400 and error_of(answer, "xml")[0] == 400


def test_an_unknown_token_or_request_is_a_404_error(client, world):
    assert error_of(client.get(f"{V2}/tokens/nothing.json"), "json")[0] == 404
    assert error_of(client.get(f"{V2}/requests/22010020261207.xml"), "xml")[0] == 404


def test_discovery_in_json_and_xml(client, world):
    document = client.get("/open311/discovery.json").json()
    (endpoint,) = document["endpoints"]
    assert endpoint["url"] == "http://testserver/open311/v2"
    assert endpoint["formats"] == ["text/xml", "application/json"]
    root = xml(client.get("/open311/discovery.xml"))
    assert root.tag == "discovery"
    assert [f.text for f in root.findall("endpoints/endpoint/formats/format")] == [
        "text/xml", "application/json"]


def test_other_methods_are_refused_in_the_spec_shape(client, world):
    answer = client.post(f"{V2}/services.json")
    assert answer.status_code == 405 and error_of(answer, "json")[0] == 405


def test_the_command_prints_a_key_that_works_and_stores_only_its_hash(client, world):
    out = StringIO()
    call_command("open311_client", "长春通", stdout=out)
    key = next(line.split(": ", 1)[1] for line in out.getvalue().splitlines()
               if line.startswith("api_key: "))
    app = Open311Client.objects.get(name="长春通")
    assert app.key_hash == open311.key_hash(key) and key not in json.dumps(
        list(Open311Client.objects.values()), default=str)
    assert world.post(client, api_key=key).status_code == 201


def test_the_demo_services_take_a_request_to_their_department(client, demo):
    services = {s["service_code"]: s for s in client.get(f"{V2}/services.json").json()}
    assert {"streetlight", "pothole", "street_vending", "noise"} <= set(services)
    definition = client.get(f"{V2}/services/noise.json").json()
    assert [(a["code"], a["datatype"]) for a in definition["attributes"]] == [
        ("source", "singlevaluelist"), ("hours", "multivaluelist")]
    _, key = open311.create_client("演示应用")
    answer = client.post(f"{V2}/requests.json", {
        "api_key": key, "service_code": "streetlight", "address_string": "长春市人民大街2688号",
        "attribute[fault]": "dark", "phone": PHONE, "description": "路灯整夜不亮"})
    assert answer.status_code == 201
    request = HotlineRequest.objects.get(number=answer.json()[0]["service_request_id"])
    assert request.department.name == "长春市住房和城乡建设局"


def test_the_lists_take_one_query_however_many_rows(client, world, django_assert_num_queries):
    for _ in range(3):
        world.post(client)
    world.post(client, service_code="street_vending")
    with django_assert_num_queries(1):
        assert len(client.get(f"{V2}/requests.xml").content) > 0
    with django_assert_num_queries(1):
        assert len(client.get(f"{V2}/services.json").json()) == 3


def test_an_app_filing_too_fast_is_told_to_wait(client, world, settings):
    settings.COMPLAINTS_OPEN311_REQUESTS_PER_HOUR = 2
    assert [world.post(client).status_code for _ in range(2)] == [201, 201]
    answer = world.post(client)
    assert answer.status_code == 429 and error_of(answer, "json") == (429, "提交过于频繁，请一小时后再试")
    assert HotlineRequest.objects.count() == 2
