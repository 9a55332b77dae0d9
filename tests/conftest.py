import pytest

from dondoc.accounts.roles import Role

PASSWORD = "mat-khau-thu-nghiem-2024"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Argon2 is deliberately slow; tests that are about hashing check the production setting directly.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def orgs(db):
    """The Tuyên Quang organisation fixture, as `make run` loads it."""
    from dondoc.orgs.loader import load_orgs

    load_orgs()
    from dondoc.orgs.models import Agency

    return {a.code: a for a in Agency.objects.all()}


@pytest.fixture
def make_user(db):
    from dondoc.accounts.models import User

    def make(username, role=Role.VIEWER, agency=None, password=PASSWORD, **extra):
        user = User(username=username, role=role, agency=agency, **extra)
        user.set_password(password)
        user.save()
        return user

    return make


@pytest.fixture
def users(orgs, make_user):
    """One account per role; the agency people belong to Sở Tài chính."""
    return {
        Role.ADMIN: make_user("qt", Role.ADMIN),
        Role.LEADER: make_user("ld", Role.LEADER, orgs["ubnd-tinh"]),
        Role.COORDINATOR: make_user("th", Role.COORDINATOR, orgs["skhdt"]),
        Role.HEAD: make_user("tt", Role.HEAD, orgs["stc"]),
        Role.FOCAL: make_user("cb", Role.FOCAL, orgs["stc"]),
        Role.VIEWER: make_user("xem", Role.VIEWER),
    }
