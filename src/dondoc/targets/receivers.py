"""What targets does when a lower app tells it something (plans/signals.py)."""

from django.dispatch import receiver

from dondoc.plans.signals import plan_published

from .actions import sync_targets


@receiver(plan_published, dispatch_uid="targets.sync_targets")
def create_targets(sender, plan, user=None, request=None, **kwargs) -> None:
    """The measurable targets of a published plan become Targets, in the publication's transaction."""
    sync_targets(plan, user=user, request=request)
