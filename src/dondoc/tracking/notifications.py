"""In-app notifications (the bell): the one place they are written, and who is told when a plan is published."""

from __future__ import annotations

from collections import Counter

from django.dispatch import receiver
from django.urls import reverse

from dondoc.accounts.models import User
from dondoc.accounts.roles import AGENCY_ROLES, Role
from dondoc.plans.models import AssignmentRole
from dondoc.plans.signals import plan_published

from .models import Notification

MAX_TEXT = 500  # Notification.text


def agency_people(agency_id, roles=AGENCY_ROLES):
    """Who hears of an agency's work: its active people in `roles` (head and focal points by default)."""
    return User.objects.filter(agency_id=agency_id, role__in=roles, is_active=True)


def coordinators():
    return User.objects.filter(role=Role.COORDINATOR, is_active=True)


def notify(users, kind: str, text: str, url: str = "") -> None:
    """The same notification to each of `users`."""
    Notification.objects.bulk_create([Notification(user=u, kind=kind, text=text[:MAX_TEXT], url=url) for u in users])


@receiver(plan_published, dispatch_uid="tracking.notify_assigned")
def notify_assigned(sender, plan, assignments, **kwargs) -> None:
    """One notification per person of each agency given work: how many tasks, as lead and as partner."""
    counts = Counter((a.agency_id, a.role) for a in assignments)
    agencies = {agency_id for agency_id, _ in counts}
    people = User.objects.filter(agency_id__in=agencies, role__in=AGENCY_ROLES, is_active=True)
    notes = []
    for user_id, agency_id in people.values_list("pk", "agency_id"):
        lead, partner = counts[(agency_id, AssignmentRole.LEAD)], counts[(agency_id, AssignmentRole.COORDINATING)]
        parts = [f"chủ trì {lead} nhiệm vụ" if lead else "", f"phối hợp {partner} nhiệm vụ" if partner else ""]
        notes.append(Notification(user_id=user_id, kind="assigned", url=reverse("tracking:my_work"),
                                  text=f"Kế hoạch số {plan.number or plan.pk} giao cơ quan {' và '.join(p for p in parts if p)}"[:MAX_TEXT]))
    Notification.objects.bulk_create(notes)
