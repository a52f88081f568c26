from ninja import NinjaAPI

from internationale.api import errors
from internationale.api.archive import router as archive_router
from internationale.api.network import router as network_router
from internationale.api.relay import router as relay_router
from internationale.api.treasury import router as treasury_router

api = NinjaAPI(
    title="Internationale API",
    version="1",
    description="Networks, organizations, members, solidarity funds, relays and the living "
    "archive of Internationale. "
    "Authenticate with a personal token from your account page: "
    "`Authorization: Bearer <token>`.",
    urls_namespace="api",
    docs_url=None,
)
errors.install(api)
api.add_router("/", network_router)
api.add_router("/", treasury_router)
api.add_router("/", relay_router)
api.add_router("/", archive_router)
