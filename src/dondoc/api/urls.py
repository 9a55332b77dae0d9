from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError

from .agencies import router as agencies_router
from .dashboard import router as dashboard_router
from .notify import router as notify_router
from .auth import ActiveSessionAuth, TokenAuth
from .plans import router as plans_router
from .reports import router as reports_router
from .targets import router as targets_router
from .tracking import router as tracking_router

api = NinjaAPI(
    title="dondoc API",
    version="1",
    description="API theo dõi, đôn đốc thực hiện kế hoạch. Xác thực: `Authorization: Bearer <token>` "
                "(tạo bằng `dondoc token TÊN_ĐĂNG_NHẬP`).",
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
