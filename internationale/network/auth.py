"""Logging in by display name, with throttling per account and an optional second factor.

Throttling counts attempts on the account itself, never by network address: members often
share one address, and a record of who connected from where endangers them. Each attempt
is counted in the database before the password is checked, so parallel attempts cannot
slip past the limit. After LOGIN_MAX_FAILURES failures in a row the account refuses every
attempt for LOGIN_LOCK_MINUTES, then accepts the right password again; the lock is never
permanent. Refusals say the same whether the account exists, is locked, or not.
"""

import hmac
import time
from datetime import timedelta
from typing import Any

import pyotp
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.db.models import F, Q
from django.http import HttpRequest
from django.utils import timezone

from internationale.network.models import Member, RecoveryCode, display_key, token_digest


class DisplayNameBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Member | None:
        if not username or password is None:
            return None
        member = Member.objects.filter(display_key=display_key(username)).first()
        if member is None or not reserve_attempt(member):
            Member().set_password(password)  # the same work as for a real account
            return None
        if member.check_password(password) and self.user_can_authenticate(member):
            return member
        note_failure(member)
        return None


def reserve_attempt(member: Member) -> bool:
    """Count an attempt before checking it; False when the account is locked, or when as
    many attempts as the limit allows are already counted."""
    now = timezone.now()
    reserved = (
        Member.objects.filter(pk=member.pk, failed_logins__lt=settings.LOGIN_MAX_FAILURES)
        .filter(Q(locked_until__isnull=True) | Q(locked_until__lte=now))
        .update(failed_logins=F("failed_logins") + 1)
    )
    if reserved:
        return True
    # The limit is reached without a lock (attempts still in flight, a request that stopped
    # half-way, or a right password whose second factor was not given): lock now, so that
    # the refusal lasts LOGIN_LOCK_MINUTES and never longer.
    Member.objects.filter(pk=member.pk, failed_logins__gte=settings.LOGIN_MAX_FAILURES).filter(
        Q(locked_until__isnull=True) | Q(locked_until__lte=now)
    ).update(failed_logins=0, locked_until=now + timedelta(minutes=settings.LOGIN_LOCK_MINUTES))
    return False


def note_failure(member: Member) -> None:
    """After a failed attempt (already counted), lock the account once the limit is
    reached."""
    lock_until = timezone.now() + timedelta(minutes=settings.LOGIN_LOCK_MINUTES)
    Member.objects.filter(pk=member.pk, failed_logins__gte=settings.LOGIN_MAX_FAILURES).update(
        failed_logins=0, locked_until=lock_until
    )
    member.refresh_from_db(fields=["failed_logins", "locked_until"])


def note_success(member: Member) -> None:
    Member.objects.filter(pk=member.pk).update(failed_logins=0, locked_until=None)


def matching_totp_step(secret: str, code: str, *, after: int = 0) -> int | None:
    """The time step (of the previous, current or next 30 seconds, for clocks that drift)
    whose code is `code`, if it is later than `after`."""
    totp = pyotp.TOTP(secret)
    now = int(time.time() // totp.interval)
    for step in (now - 1, now, now + 1):
        if step > after and hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def verify_second_factor(member: Member, code: str) -> bool:
    """A current TOTP code, or an unused recovery code (which is then used up)."""
    code = code.strip().replace(" ", "").replace("-", "").lower()
    if not code or not member.has_second_factor:
        return False
    if code.isdigit() and len(code) == 6:
        step = matching_totp_step(member.totp_secret, code, after=member.totp_last_step)
        # Each code works once: the step is claimed atomically, so a code seen by someone
        # looking over a shoulder (or replayed in a race) is refused.
        return (
            step is not None
            and Member.objects.filter(pk=member.pk, totp_last_step__lt=step).update(
                totp_last_step=step
            )
            == 1
        )
    updated = RecoveryCode.objects.filter(
        member=member, code_digest=token_digest(code), used_at__isnull=True
    ).update(used_at=timezone.now())
    return updated == 1
