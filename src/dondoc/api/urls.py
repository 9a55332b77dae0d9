from ninja import NinjaAPI

from .agencies import router as agencies_router
from .auth import ActiveSessionAuth, TokenAuth

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
