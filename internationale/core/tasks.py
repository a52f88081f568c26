"""Background work of the shared kernel."""

from django.core.management import call_command
from django_tasks import task


@task()
def clear_expired_sessions() -> None:
    """Delete sessions that have ended, so no trace of old logins stays in the database.
    Idempotent: running it twice deletes nothing more."""
    call_command("clearsessions")
