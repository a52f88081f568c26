from ninja import NinjaAPI

from internationale.api import errors
from internationale.api.network import router as network_router

api = NinjaAPI(
    title="Internationale API",
    version="1",
    description="Networks, organizations and members of Internationale. Authenticate with a "
    "personal token from your account page: `Authorization: Bearer <token>`.",
    urls_namespace="api",
    docs_url=None,
)
errors.install(api)
api.add_router("/", network_router)
