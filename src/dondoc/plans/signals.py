"""What plans tell the apps above them (docs/design.md: a lower app never imports a higher one).

Receivers run inside the sender's transaction: one that raises undoes the whole publication.
"""

from django.dispatch import Signal

# do_publish, once the assignments are written: plan, assignments (list[Assignment]), user, request.
plan_published = Signal()

# do_amend_plan_header, once the plan is saved: plan, before ({field: value before the amendment}, the fields it
# changed), user, request. A receiver that keeps a copy of a plan's date (a report's deadline) follows it here.
plan_header_amended = Signal()
