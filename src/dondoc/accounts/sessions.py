"""Django's database sessions (SESSION_ENGINE), read by a query compiled once: every signed-in page reads its
session first, and building that query cost about as much as the database took to answer it."""

import datetime as dt

from django.contrib.sessions.backends import db
from django.utils import timezone

from dondoc.core.prepared import Prepared

_SESSION = Prepared(lambda key, now: SessionStore.get_model_class().objects.filter(session_key=key, expire_date__gt=now),
                    key="probe-session-key-3f9a1c", now=dt.datetime(1901, 1, 1, tzinfo=dt.timezone.utc))


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        found = _SESSION.run(key=self.session_key, now=timezone.now())
        if found:
            return found[0]
        self._session_key = None  # as Django's: an unknown or expired key starts a new session
