from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from .agencies import router as agencies_router
from .dashboard import router as dashboard_router
from .notify import router as notify_router
from .auth import ActiveSessionAuth, TokenAuth
from .etag import make_conditional
from .examples import add_examples
from .plans import router as plans_router
from .reports import router as reports_router
from .targets import router as targets_router
from .tokens import router as tokens_router
from .tracking import router as tracking_router

ERROR = {"type": "object", "required": ["detail"], "properties": {"detail": {"type": "string"}}}
INVALID = {"type": "object", "required": ["detail", "message"],
           "properties": {"detail": {"type": "array", "items": {"type": "object"}}, "message": {"type": "string"}}}
# The refusals every operation may answer (api/errors.py, the input guard, the paging rule), documented once.
ERRORS = {
    400: ("Dữ liệu không hợp lệ (thông báo trong detail)", ERROR),
    401: ("Chưa xác thực", ERROR),
    403: ("Vai trò không được thực hiện thao tác này", ERROR),
    404: ("Không tìm thấy (hoặc thuộc cơ quan khác)", ERROR),
    409: ("Trạng thái hiện tại không cho phép thao tác, hoặc người khác vừa sửa", ERROR),
    422: ("Tham số sai kiểu hoặc ngoài giới hạn (message: thông báo tiếng Việt)", INVALID),
}


class DondocAPI(NinjaAPI):
    def _get_bound_routers(self):
        """Every GET operation answers If-None-Match (api/etag.py), given here, once, as the routers are bound:
        one place for all of them, and no router or view can forget it."""
        bound = super()._get_bound_routers()
        for router in bound:
            for view in router.path_operations.values():
                for operation in view.operations:
                    make_conditional(operation)
        return bound

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        for methods in schema["paths"].values():
            for op in methods.values():
                responses = op.setdefault("responses", {})
                for code, (description, body) in ERRORS.items():
                    if code not in responses and str(code) not in responses:
                        responses[code] = {"description": description, "content": {"application/json": {"schema": body}}}
        add_examples(schema, path_prefix.rstrip("/"))  # api/examples.py: one example per operation
        return schema


api = DondocAPI(
    title="dondoc API",
    version="1",
    description="API theo dõi, đôn đốc thực hiện kế hoạch. Xác thực: `Authorization: Bearer <token>` "
                "(tạo bằng `dondoc token TÊN_ĐĂNG_NHẬP`). Mọi yêu cầu GET trả về `ETag`; gửi lại giá trị đó trong "
                "`If-None-Match` thì, khi dữ liệu chưa đổi, nhận `304 Not Modified` không kèm nội dung.",
    auth=[TokenAuth(), ActiveSessionAuth()],
    urls_namespace="api",
    docs_url="/docs",
)
api.add_router("/", agencies_router)
api.add_router("/", plans_router)
api.add_router("/", tracking_router)
api.add_router("/", dashboard_router)
api.add_router("/", notify_router)
api.add_router("/", reports_router)
api.add_router("/", targets_router)
api.add_router("/", tokens_router)


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    detail = str(exc) if str(exc) != "Unauthorized" else \
        "Chưa xác thực: cần token hợp lệ (Authorization: Bearer <token>) hoặc phiên đăng nhập."
    return api.create_response(request, {"detail": detail}, status=401)


@api.exception_handler(HttpError)
def http_error(request, exc):
    """As ninja answers an HttpError; a refusal of a role (403) also leaves an audit event, as on the pages."""
    if exc.status_code == 403:
        from dondoc.audit import record

        record("access.refused", request=request,
               changes={"method": request.method, "path": request.path[:200], "reason": str(exc)[:200]})
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


_CONSTRAINTS = {
    "less_than_equal": "không được lớn hơn {le}", "greater_than_equal": "không được nhỏ hơn {ge}",
    "less_than": "phải nhỏ hơn {lt}", "greater_than": "phải lớn hơn {gt}", "string_too_long": "dài quá {max_length} ký tự",
    "int_parsing": "phải là số nguyên (chữ số 0–9)", "int_type": "phải là số nguyên", "missing": "là bắt buộc",
    "literal_error": "phải là một trong: {expected}", "date_from_datetime_parsing": "phải là ngày dạng YYYY-MM-DD",
    "date_parsing": "phải là ngày dạng YYYY-MM-DD", "bool_parsing": "phải là true hoặc false",
    "datetime_parsing": "phải là thời điểm theo ISO 8601, ví dụ 2024-10-05T08:30:00+07:00",
    "datetime_from_date_parsing": "phải là thời điểm theo ISO 8601, ví dụ 2024-10-05T08:30:00+07:00",
}


def describe(errors: list[dict]) -> str:
    """pydantic's errors as one Vietnamese sentence: which parameter, and what it must be."""
    parts = []
    for error in errors[:5]:
        name = ".".join(str(x) for x in error.get("loc", ())[1:]) or "dữ liệu"
        if error.get("type") == "value_error":  # our own validators (api/params.py) word theirs in Vietnamese
            parts.append(f"{name} {(error.get('ctx') or {}).get('error') or 'không hợp lệ'}")
            continue
        template = _CONSTRAINTS.get(error.get("type", ""), "không hợp lệ")
        try:
            phrase = template.format(**(error.get("ctx") or {}))
        except (KeyError, IndexError):
            phrase = "không hợp lệ"
        parts.append(f"{name} {phrase}")
    return "Tham số không hợp lệ: " + "; ".join(parts) + "."


@api.exception_handler(ValidationError)
def invalid(request, exc):
    return api.create_response(request, {"detail": exc.errors, "message": describe(exc.errors)}, status=422)
