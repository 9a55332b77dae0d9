"""What plans tell the apps above them (docs/design.md: a lower app never imports a higher one).

Receivers run inside the sender's transaction: one that raises undoes the whole publication.
"""

from django.dispatch import Signal

# do_publish, once the assignments are written: plan, assignments (list[Assignment]), user, request.
plan_published = Signal()
