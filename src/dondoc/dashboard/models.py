"""The urging letters sent (văn bản đôn đốc): what was sent, to whom, as of which day, and the file itself."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from dondoc.core import clock


class UrgingLetter(models.Model):
    plan = models.ForeignKey("plans.Plan", on_delete=models.PROTECT, related_name="urging_letters")
    number = models.CharField("số, ký hiệu", max_length=100, blank=True)
    # Nghị định 30/2020, Điều 15: a document's number is its issuer's running number in the year. Letters recorded
    # before a number was required have none (NULLs never collide in a unique constraint, on either database).
    issuer = models.ForeignKey("orgs.Agency", on_delete=models.PROTECT, related_name="+", null=True, blank=True,
                               verbose_name="cơ quan ban hành")
    year = models.PositiveSmallIntegerField("năm", null=True, blank=True)
    serial = models.PositiveIntegerField("số", null=True, blank=True)
    as_of = models.DateField("số liệu tính đến ngày")
    reply_by = models.DateField("hạn báo cáo lại", null=True, blank=True)
    agencies = models.ManyToManyField("orgs.Agency", related_name="+", verbose_name="kính gửi")
    overdue_count = models.PositiveIntegerField("số nhiệm vụ quá hạn nêu trong văn bản")
    file = models.FileField(upload_to="urging/%Y/")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = "văn bản đôn đốc"
        verbose_name_plural = "văn bản đôn đốc"
        ordering = ["-created_at", "-id"]
        constraints = [
            # The action checks first and answers in words; this holds when two submissions race.
            models.UniqueConstraint(fields=["issuer", "year", "serial"], name="urging_number_once_per_issuer_year"),
        ]
