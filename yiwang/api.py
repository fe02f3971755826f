"""The JSON API root (django-ninja, OpenAPI at /api/docs). Each app contributes a router from
its ``api.py``; this module maps domain errors and input validation failures to
``{"code", "message", "details"}`` answers so nothing a client sends turns into a 500."""

from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from yiwang.common.errors import DomainError
from yiwang.common.schemas import error_responses

api = NinjaAPI(
    title="一网通办 yiwang API",
    version="1.0",
    description=("统一身份认证、事项目录、办事指南与搜索、智能咨询、办件申请与办理（含一件事、办件进度查询）的开放接口。"
                 "错误统一返回 {code, message, details}。"),
    urls_namespace="api",
)


def _error(request, status: int, code: str, message: str, details=None):
    return api.create_response(request, {"code": code, "message": message, "details": details},
                               status=status)


@api.exception_handler(DomainError)
def domain_error(request, exc: DomainError):
    return _error(request, exc.status, exc.code, exc.message, exc.details)


@api.exception_handler(NinjaValidationError)
def input_error(request, exc: NinjaValidationError):
    fields = [
        {"field": ".".join(str(p) for p in e.get("loc", [])[1:]) or None, "error": e.get("msg")}
        for e in exc.errors
    ]
    return _error(request, 422, "request.invalid", "请求参数不符合要求", fields)


@api.exception_handler(AuthenticationError)
def auth_error(request, exc):
    return _error(request, 401, "auth.required", "请先登录")


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    # ninja raises HttpError itself, e.g. 403 for a failed CSRF check on session-authenticated
    # operations; give it the same shape as every other error.
    if exc.status_code == 403 and "CSRF" in str(exc):
        return _error(request, 403, "auth.csrf_failed", "安全校验失败，请刷新页面后重试")
    return _error(request, exc.status_code, "request.error", str(exc))


@api.exception_handler(Http404)
def not_found(request, exc):
    return _error(request, 404, "not_found", "请求的对象不存在")


def json_method_not_allowed(get_response):
    """Middleware: django-ninja answers a method a path does not have with a bare text 405; under
    /api/ it gets the JSON error shape like every other answer, keeping its Allow header."""

    def middleware(request):
        response = get_response(request)
        if (response.status_code == 405 and request.path_info.startswith("/api/")
                and not response.get("Content-Type", "").startswith("application/json")):
            allowed = [method.strip() for method in response.get("Allow", "").split(",") if method.strip()]
            answer = _error(request, 405, "api.method_not_allowed",
                            f"该接口不支持 {request.method} 请求，可用：{'、'.join(allowed) or '无'}",
                            {"allowed": allowed})
            answer["Allow"] = response.get("Allow", "")
            return answer
        return response

    return middleware


def unknown_api_path(request):
    """Any other path under /api/: a client of the API gets the JSON 404, not the site's page."""
    return _error(request, 404, "api.not_found", "没有这个接口，请查阅 /api/docs")


from yiwang.accounts.api import router as accounts_router  # noqa: E402
from yiwang.calendar.api import router as calendar_router  # noqa: E402
from yiwang.cases.api import router as cases_router  # noqa: E402
from yiwang.cases.staff_api import router as staff_cases_router  # noqa: E402
from yiwang.catalog.api import router as catalog_router  # noqa: E402
from yiwang.catalog.consult_api import router as consult_router  # noqa: E402
from yiwang.catalog.search.api import router as search_router  # noqa: E402
from yiwang.catalog.staff_api import router as staff_catalog_router  # noqa: E402
from yiwang.catalog.transfer_api import router as transfer_router  # noqa: E402
from yiwang.complaints.api import router as complaints_router  # noqa: E402
from yiwang.evaluation.api import router as evaluation_router  # noqa: E402
from yiwang.exchange.api import router as registries_router  # noqa: E402
from yiwang.hall.api import router as hall_router  # noqa: E402
from yiwang.licences.api import router as licences_router  # noqa: E402

api.add_router("/accounts", accounts_router)
api.add_router("/calendar", calendar_router)
# The case routers spell out their paths: /cases, /bundles and /bundle-applications for
# applicants; /cases and /catalog-workflows under /staff for staff.
api.add_router("", cases_router)
api.add_router("/staff", staff_cases_router)
api.add_router("/catalog", catalog_router)
api.add_router("/search", search_router)
api.add_router("/consult", consult_router)
api.add_router("/staff/catalog", staff_catalog_router)
api.add_router("/staff/transfer", transfer_router)
api.add_router("/licences", licences_router)
api.add_router("/hall", hall_router)
api.add_router("/evaluation", evaluation_router)
api.add_router("/complaints", complaints_router)
api.add_router("/staff/registries", registries_router)


# Every operation can answer these; an operation adds what only it can answer (413 for an upload,
# 429 for a throttled one) in its own ``response``.
ANY_OPERATION_ERRORS = (400, 404, 422)
SIGNED_IN_ERRORS = (401, 403)  # no session; a role, the second factor or the CSRF check missing
CHANGE_ERRORS = (409,)  # the object's state does not allow the change
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def declare_error_responses(api: NinjaAPI) -> None:
    """Document the error answers of every operation with the one ``ErrorOut`` shape, so the
    routers need not repeat them and an operation added later is covered too. Ninja binds its
    routers' operations once, on first use; the bound operations are the ones that serve requests
    and the OpenAPI document, so their ``response_models`` are completed here, each wrapped the way
    ninja wraps a declared response."""
    for bound in api._get_bound_routers():
        for path_view in bound.path_operations.values():
            for operation in path_view.operations:
                statuses = list(ANY_OPERATION_ERRORS)
                if operation.auth_callbacks:
                    statuses += SIGNED_IN_ERRORS
                if UNSAFE_METHODS.intersection(operation.methods):
                    statuses += CHANGE_ERRORS
                declared = operation._create_response_model_multiple(error_responses(*statuses))
                answers = {**declared, **operation.response_models}
                operation.response_models = dict(sorted(answers.items(), key=lambda answer: str(answer[0])))


declare_error_responses(api)
