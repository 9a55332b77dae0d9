from __future__ import annotations

from typing import Any


def client_ip(request) -> str | None:
    """The caller's address. Behind a proxy set DONDOC_TRUST_X_FORWARDED_FOR=1 to use X-Forwarded-For."""
    if request is None:
        return None
    from django.conf import settings

    if settings.TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip() or None
    return request.META.get("REMOTE_ADDR") or None


def record(action: str, *, actor=None, obj: Any = None, changes: dict | None = None, request=None, actor_name: str = ""):
    """Append one audit event. Call it inside the action's transaction so both land or neither."""
    from dondoc.audit.models import Event
    from dondoc.audit.signals import recorded

    if actor is None and request is not None and getattr(request, "user", None) is not None and request.user.is_authenticated:
        actor = request.user
    if actor is not None and not getattr(actor, "pk", None):
        actor = None
    event = Event.objects.create(
        action=action,
        actor=actor,
        actor_name=(actor.get_username() if actor is not None else actor_name)[:150],
        object_type=obj._meta.label_lower if obj is not None and hasattr(obj, "_meta") else "",
        object_id=str(obj.pk) if obj is not None and getattr(obj, "pk", None) is not None else "",
        object_repr=str(obj)[:255] if obj is not None else "",
        changes=changes or {},
        ip=client_ip(request),
    )
    recorded.send(sender=Event, event=event, obj=obj)
    return event
