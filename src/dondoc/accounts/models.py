import hashlib
import secrets

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models

from .roles import Role


class DondocUserManager(UserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        # `dondoc createsuperuser` makes an administrator: in dondoc the role decides, not the Django flags.
        extra_fields["role"] = Role.ADMIN
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    """A person, in one agency, with one role. Accounts are never deleted, only deactivated."""

    role = models.CharField("vai trò", max_length=16, choices=Role.choices, default=Role.VIEWER)
    agency = models.ForeignKey(
        "orgs.Agency", verbose_name="cơ quan, đơn vị", null=True, blank=True, on_delete=models.PROTECT, related_name="people"
    )
    full_name = models.CharField("họ và tên", max_length=150, blank=True)
    position = models.CharField("chức vụ", max_length=150, blank=True)
    phone = models.CharField("điện thoại", max_length=32, blank=True)
    is_demo = models.BooleanField("tài khoản minh họa", default=False, help_text="Bị từ chối ở chế độ vận hành chính thức.")

    objects = DondocUserManager()

    class Meta:
        verbose_name = "tài khoản"
        verbose_name_plural = "tài khoản"
        ordering = ["username"]

    def __str__(self):
        return self.full_name or self.username

    @property
    def display_name(self):
        return self.full_name or self.get_full_name() or self.username

    def save(self, *args, **kwargs):
        # The Django admin is the administrator's tool: its flags follow the role, never set by hand.
        self.is_staff = self.is_superuser = self.role == Role.ADMIN
        super().save(*args, **kwargs)


class LoginThrottle(models.Model):
    """Failed logins per typed username, in the database so a lockout holds across app servers."""

    username = models.CharField(max_length=150, unique=True)
    failures = models.PositiveIntegerField(default=0)
    first_failure_at = models.DateTimeField(null=True)
    locked_until = models.DateTimeField(null=True)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 is stored; the token is shown once."""

    user = models.ForeignKey(User, verbose_name="tài khoản", on_delete=models.PROTECT, related_name="api_tokens")
    name = models.CharField("tên", max_length=100, blank=True)
    prefix = models.CharField("tiền tố", max_length=8, help_text="Phần đầu của token, để nhận ra nó.")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    last_used_at = models.DateTimeField("dùng lần cuối", null=True, blank=True)
    revoked_at = models.DateTimeField("thu hồi lúc", null=True, blank=True)

    class Meta:
        verbose_name = "token API"
        verbose_name_plural = "token API"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.prefix}… ({self.user.username})"

    @staticmethod
    def generate() -> str:
        return "dd_" + secrets.token_urlsafe(32)


class RecoveryCode(models.Model):
    """A one-time code for signing in without the phone (two_factor.py). Only its SHA-256 is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "digest"])]
