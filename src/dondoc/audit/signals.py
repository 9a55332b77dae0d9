"""What the audit trail tells the apps above it (docs/design.md: a lower app never imports a higher one).

`recorded` is sent by `record()` once the event row is written, inside the action's transaction: a receiver's
writes land with the action or not at all, and one that raises undoes the action. Receivers must be cheap when
the event does not concern them (every action records an event): notify/webhooks.py enqueues its deliveries here.
"""

from django.dispatch import Signal

# record(): event (audit.Event, saved), obj (the object the action acted on, as the action holds it, or None).
recorded = Signal()
