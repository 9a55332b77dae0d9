"""Agencies and groups of agencies: organisation data an administrator edits, never code."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.dispatch import Signal

from dondoc.core.text import fold, nfc, sort_key

from .names import name_key, search_text

# Sent when agencies were written in bulk (orgs/loader.py), which sends no post_save: what depends on agencies'
# names (tracking/spans.py: the memoised pages) listens to both.
agencies_changed = Signal()


class AgencyKind(models.TextChoices):
    DEPARTMENT = "department", "Sở, ban, ngành"
    DISTRICT = "district", "UBND cấp huyện"
    COMMUNE = "commune", "UBND cấp xã"
    CENTRAL = "central", "Cơ quan Trung ương trên địa bàn"
    ASSOCIATION = "association", "Hội, đoàn thể"
    OTHER = "other", "Khác"


def split_aliases(text: str) -> list[str]:
    return [nfc(line.strip()) for line in (text or "").splitlines() if line.strip()]


class NamedMixin(models.Model):
    """Name, aliases and the derived columns that make search and sorting database-independent."""

    name = models.CharField("tên", max_length=255)
    aliases = models.TextField("tên gọi khác, viết tắt", blank=True, help_text="Mỗi dòng một tên, đúng như văn bản ghi.")
    # Derived on save (see core/text.py): lowercase ASCII, so `contains` and ORDER BY act alike on both databases.
    search_text = models.TextField(editable=False, default="")
    name_keys = models.TextField(editable=False, default="")
    sort_key = models.CharField(max_length=600, editable=False, default="", db_index=True)

    class Meta:
        abstract = True

    def alias_list(self) -> list[str]:
        return split_aliases(self.aliases)

    def all_names(self) -> list[str]:
        return [self.name, *self.alias_list(), *([self.short_name] if getattr(self, "short_name", "") else [])]

    def refresh_derived(self) -> None:
        self.name = nfc(self.name.strip())
        self.aliases = "\n".join(self.alias_list())
        names = self.all_names()
        self.search_text = " | ".join([search_text(n) for n in names] + [fold(getattr(self, "code", "") or "")])
        self.name_keys = "|" + "|".join(dict.fromkeys(name_key(n) for n in names)) + "|"
        self.sort_key = sort_key(self.name)

    def save(self, *args, **kwargs):
        self.refresh_derived()
        super().save(*args, **kwargs)


class Agency(NamedMixin):
    code = models.SlugField("mã", max_length=40, unique=True, help_text="Mã ngắn ASCII, ví dụ skhdt, ubnd-nahang.")
    short_name = models.CharField("tên viết tắt", max_length=100, blank=True)
    kind = models.CharField("loại", max_length=16, choices=AgencyKind.choices, default=AgencyKind.DEPARTMENT)
    parent = models.ForeignKey("self", verbose_name="cơ quan cấp trên", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="children")
    valid_from = models.DateField("hiệu lực từ", null=True, blank=True)
    valid_to = models.DateField("hiệu lực đến", null=True, blank=True, help_text="Ngày cuối cùng cơ quan còn tồn tại.")
    successors = models.ManyToManyField("self", verbose_name="cơ quan kế thừa", symmetrical=False, through="Succession",
                                        through_fields=("predecessor", "successor"), related_name="predecessors", blank=True)

    class Meta:
        verbose_name = "cơ quan, đơn vị"
        verbose_name_plural = "cơ quan, đơn vị"
        ordering = ["sort_key"]

    def __str__(self):
        return self.name

    def is_active_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)

    def is_dissolved_on(self, day: dt.date) -> bool:
        return self.valid_to is not None and self.valid_to < day

    def successors_on(self, day: dt.date) -> list[Agency]:
        """Who carries on its work on `day`: its successors in existence then, a dissolved successor's own in turn
        (a chain of reorganisations), in Vietnamese order. Empty for an agency with no recorded successor."""
        found: dict[int, Agency] = {}
        seen, todo = {self.pk}, list(self.successors.all())
        while todo:
            agency = todo.pop()
            if agency.pk in seen:
                continue
            seen.add(agency.pk)
            if agency.is_active_on(day):
                found[agency.pk] = agency
            elif agency.is_dissolved_on(day):
                todo.extend(agency.successors.all())
        return sorted(found.values(), key=lambda a: a.sort_key)


class Succession(models.Model):
    """One dissolved agency can have several successors, each for a field (lĩnh vực)."""

    predecessor = models.ForeignKey(Agency, verbose_name="cơ quan cũ", on_delete=models.CASCADE, related_name="succession_links")
    successor = models.ForeignKey(Agency, verbose_name="cơ quan kế thừa", on_delete=models.PROTECT, related_name="+")
    date = models.DateField("từ ngày")
    note = models.CharField("lĩnh vực, ghi chú", max_length=500, blank=True)
    # What a hand-over of open work gives this successor (tracking/handover.py): tasks whose text or section names
    # one of these fields. Empty: every field no other successor takes (the one a merger leads to).
    fields = models.CharField("lĩnh vực tiếp nhận", max_length=500, blank=True,
                              help_text="Các lĩnh vực cơ quan kế thừa tiếp nhận, cách nhau bởi dấu phẩy hoặc chấm phẩy; "
                                        "để trống: mọi lĩnh vực còn lại.")

    class Meta:
        verbose_name = "kế thừa"
        verbose_name_plural = "kế thừa"
        constraints = [models.UniqueConstraint(fields=["predecessor", "successor"], name="unique_succession")]

    def __str__(self):
        return f"{self.predecessor} → {self.successor}"


class AgencyGroup(NamedMixin):
    """A phrase plans use for a class of bodies ("Ủy ban nhân dân huyện, thành phố"); members may be empty."""

    code = models.SlugField("mã", max_length=60, unique=True)
    members = models.ManyToManyField(Agency, verbose_name="thành viên", blank=True, related_name="agency_groups")
    description = models.TextField("ghi chú", blank=True)

    class Meta:
        verbose_name = "nhóm cơ quan"
        verbose_name_plural = "nhóm cơ quan"
        ordering = ["sort_key"]

    def __str__(self):
        return self.name

    def members_on(self, day: dt.date) -> list[Agency]:
        """The group as it stands on `day`: its members in existence then, and for each member dissolved before it,
        its successors in existence ("Các sở, ban, ngành" of November 2025 is Sở Tài chính, not Sở Kế hoạch và Đầu tư,
        dissolved on 01/03/2025). A member not yet created on `day` is left out."""
        found: dict[int, Agency] = {}
        for member in self.members.all():
            if member.is_active_on(day):
                found[member.pk] = member
            elif member.is_dissolved_on(day):
                found.update((a.pk, a) for a in member.successors_on(day))
        return sorted(found.values(), key=lambda a: a.sort_key)
