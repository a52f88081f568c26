"""Background work of the treasury."""

from django_tasks import task

from internationale.treasury import actions
from internationale.treasury.models import Fund


@task()
def expire_reservations() -> int:
    """Release every reservation past its time, in every fund. Idempotent: a released
    reservation is not released again. Returns how many draws were released."""
    return sum(actions.expire_reservations(fund) for fund in Fund.objects.all())
