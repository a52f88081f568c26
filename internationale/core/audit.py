"""Writing the audit log. Actions call `record` inside their transaction."""

from typing import Any

from django.db import models

from internationale.core.models import AuditEvent

SYSTEM = "system"


def _label(target: models.Model) -> str:
    """How the log names the target. Content people write (a notice's title, a circle's
    name) would outlive its deletion in this append-only table, so such models name
    themselves by type and id through `audit_label`."""
    label = getattr(target, "audit_label", None)
    return str(label if label is not None else target)[:200]


def record(actor: Any, verb: str, target: models.Model, **data: Any) -> AuditEvent:
    """Add an event: `actor` (a member, or None for the command line and the system) did
    `verb` (dotted, e.g. 'organization.invite') to `target`. `data` holds the facts needed to
    understand it later (never a secret, never a password)."""
    member = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        actor=member,
        actor_label=str(member) if member is not None else SYSTEM,
        verb=verb,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target_label=_label(target),
        data=data,
    )
