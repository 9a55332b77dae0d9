import datetime as dt

import pytest

from dondoc.orgs.lookup import find_agency_by_code_or_name, lookup, search_agencies
from dondoc.orgs.models import Agency, AgencyGroup, Succession


@pytest.fixture
def small_org(db):
    """A hand-made organisation, independent of the shipped fixture."""
    skhdt = Agency.objects.create(code="kh", name="Sở Kế hoạch và Đầu tư", short_name="Sở KH&ĐT",
                                  aliases="Sở KHĐT\nSở Kế hoạch - Đầu tư", valid_to=dt.date(2025, 2, 28))
    stc = Agency.objects.create(code="tc", name="Sở Tài chính")
    sldtbxh = Agency.objects.create(code="ld", name="Sở Lao động - Thương binh và Xã hội", valid_to=dt.date(2025, 2, 28))
    snv = Agency.objects.create(code="nv", name="Sở Nội vụ")
    syt = Agency.objects.create(code="yt", name="Sở Y tế")
    nahang = Agency.objects.create(code="nh", name="Ủy ban nhân dân huyện Na Hang", kind="district")
    chiemhoa = Agency.objects.create(code="ch", name="Ủy ban nhân dân huyện Chiêm Hóa", kind="district")
    xttd = Agency.objects.create(code="xt", name="Trung tâm Xúc tiến đầu tư", kind="other")
    Succession.objects.create(predecessor=skhdt, successor=stc, date=dt.date(2025, 3, 1), note="Toàn bộ")
    Succession.objects.create(predecessor=sldtbxh, successor=snv, date=dt.date(2025, 3, 1), note="Lao động, việc làm")
    Succession.objects.create(predecessor=sldtbxh, successor=syt, date=dt.date(2025, 3, 1), note="Bảo trợ xã hội, trẻ em")
    districts = AgencyGroup.objects.create(code="huyen", name="Ủy ban nhân dân huyện, thành phố",
                                           aliases="Chủ tịch Ủy ban nhân dân huyện, thành phố")
    districts.members.set([nahang, chiemhoa])
    vague = AgencyGroup.objects.create(code="lq", name="Cơ quan, đơn vị liên quan")
    return locals()


def test_lookup_exact_name(small_org):
    assert lookup("Sở Kế hoạch và Đầu tư") == small_org["skhdt"]


@pytest.mark.parametrize("printed", ["so ke hoach va dau tu", "SỞ KẾ HOẠCH VÀ ĐẦU TƯ", "  Sở  Kế hoạch và Đầu tư; "])
def test_lookup_ignores_accents_case_and_spacing(small_org, printed):
    assert lookup(printed) == small_org["skhdt"]


@pytest.mark.parametrize("printed", ["Sở KH&ĐT", "Sở KHĐT", "sở kế hoạch - đầu tư", "so kh dt"])
def test_lookup_through_aliases_and_short_name(small_org, printed):
    assert lookup(printed) == small_org["skhdt"]


def test_lookup_expands_ubnd_and_old_tone_placement(small_org):
    assert lookup("UBND huyện Na Hang") == small_org["nahang"]
    assert lookup("Uỷ ban nhân dân huyện Chiêm Hoá") == small_org["chiemhoa"]


def test_lookup_case_variant_of_a_name(small_org):
    assert lookup("Trung tâm Xúc tiến Đầu tư") == small_org["xttd"]


def test_lookup_groups_by_name_alias_and_leading_cac(small_org):
    assert lookup("Ủy ban nhân dân huyện, thành phố") == small_org["districts"]
    assert lookup("UBND huyện, thành phố") == small_org["districts"]
    assert lookup("Chủ tịch Ủy ban nhân dân huyện, thành phố") == small_org["districts"]
    assert lookup("các cơ quan, đơn vị liên quan") == small_org["vague"]
    assert list(small_org["vague"].members.all()) == []


def test_lookup_finds_a_dissolved_agency_and_its_successors(small_org):
    found = lookup("Sở Lao động - Thương binh và Xã hội", on=dt.date(2025, 6, 1))
    assert found == small_org["sldtbxh"]
    assert found.is_dissolved_on(dt.date(2025, 6, 1))
    assert set(found.successors.all()) == {small_org["snv"], small_org["syt"]}
    assert {s.note for s in found.succession_links.all()} == {"Lao động, việc làm", "Bảo trợ xã hội, trẻ em"}


def test_lookup_prefers_the_agency_in_existence_on_the_day(small_org):
    old = Agency.objects.create(code="yt-cu", name="Sở Y tế", valid_to=dt.date(2010, 1, 1))
    Agency.objects.filter(pk=small_org["syt"].pk).update(valid_from=dt.date(2010, 1, 2))
    assert lookup("Sở Y tế", on=dt.date(2024, 1, 1)) == small_org["syt"]
    assert lookup("Sở Y tế", on=dt.date(2005, 1, 1)) == old


@pytest.mark.parametrize("printed", ["", "   ", ";;", "Sở Không Tồn Tại", "Sở Kế hoạch"])
def test_lookup_unknown_or_partial_names_find_nothing(small_org, printed):
    assert lookup(printed) is None


def test_find_by_code_or_name(small_org):
    assert find_agency_by_code_or_name("KH") == small_org["skhdt"]
    assert find_agency_by_code_or_name("sở tài chính") == small_org["stc"]
    assert find_agency_by_code_or_name("Ủy ban nhân dân huyện, thành phố") is None  # a group, not an agency


def test_search_without_accents_puts_best_match_first(small_org):
    results = search_agencies("so ke hoach")
    assert results[0] == small_org["skhdt"]
    assert small_org["stc"] not in results


def test_search_matches_words_in_any_order_and_aliases(small_org):
    assert small_org["nahang"] in search_agencies("na hang ubnd")
    assert search_agencies("khdt") == [small_org["skhdt"]]


def test_search_empty_query_lists_all_in_vietnamese_order(small_org):
    names = [a.name for a in search_agencies("")]
    assert names.index("Sở Tài chính") < names.index("Sở Y tế") < names.index("Trung tâm Xúc tiến đầu tư")
    assert names.index("Trung tâm Xúc tiến đầu tư") < names.index("Ủy ban nhân dân huyện Chiêm Hóa")
    assert len(names) == Agency.objects.count()


def test_search_sql_gives_the_same_order_as_python(small_org):
    """ORDER BY sort_key in the database must agree with the Python key on either database."""
    from dondoc.core.text import vi_sorted

    db_order = list(Agency.objects.order_by("sort_key").values_list("name", flat=True))
    assert db_order == vi_sorted(db_order)


def test_fixture_agencies_and_groups(orgs):
    """The shipped Tuyên Quang data: codes, 2025 successors, the groups plans name."""
    assert lookup("Sở Kế hoạch và Đầu tư") == orgs["skhdt"]
    assert orgs["stc"] in orgs["skhdt"].successors.all()
    assert orgs["skhdt"].valid_to == dt.date(2025, 2, 28)
    ldtbxh_successors = set(orgs["sldtbxh"].successors.values_list("code", flat=True))
    assert {"snv", "syt", "sgddt", "snnmt"} <= ldtbxh_successors
    # The fields each takes over (a hand-over proposes by them); Sở Nội vụ, without any, takes the others.
    fields = dict(Succession.objects.filter(predecessor=orgs["sldtbxh"]).values_list("successor__code", "fields"))
    assert fields == {"snv": "", "syt": "bảo trợ xã hội; trẻ em", "snnmt": "giảm nghèo", "sgddt": "giáo dục nghề nghiệp"}
    districts = lookup("Ủy ban nhân dân huyện, thành phố")
    assert isinstance(districts, AgencyGroup)
    assert set(districts.members.values_list("code", flat=True)) >= {
        "ubnd-tptq", "ubnd-nahang", "ubnd-lambinh", "ubnd-chiemhoa", "ubnd-hamyen", "ubnd-yenson", "ubnd-sonduong"}
    investors = lookup("Các sở, ban, ngành, đơn vị được giao làm chủ đầu tư dự án")
    assert isinstance(investors, AgencyGroup) and investors.members.count() == 0
    departments = lookup("Giám đốc các sở")
    assert isinstance(departments, AgencyGroup) and orgs["syt"] in departments.members.all()
    for agency in orgs.values():
        assert agency.code.isascii() and agency.code == agency.code.lower()


def test_fixture_loads_idempotently(orgs):
    from dondoc.orgs.loader import load_orgs

    before = (Agency.objects.count(), Succession.objects.count(), AgencyGroup.objects.count())
    load_orgs()
    assert (Agency.objects.count(), Succession.objects.count(), AgencyGroup.objects.count()) == before


def test_a_changed_file_is_loaded_over_the_old_one_in_a_few_statements(orgs, tmp_path):
    """The loader writes in bulk (every test and every `make run` loads the fixture): a second file changes what it
    changes — a name, a parent, a succession's note, a group's members, a new agency — and nothing else, in a
    number of statements that does not grow with the file."""
    import json

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dondoc.orgs.loader import DEFAULT_FIXTURE, load_orgs
    from dondoc.tracking import spans

    data = json.loads(DEFAULT_FIXTURE.read_text(encoding="utf-8"))
    syt = next(a for a in data["agencies"] if a["code"] == "syt")
    syt["name"], syt["parent"] = "Sở Y tế tỉnh Tuyên Quang", "ubnd-tinh"
    data["agencies"].append({"code": "so-moi", "name": "Sở Mới", "aliases": ["Sở Mới thành lập"]})
    data["successions"][0]["note"] = "Ghi chú mới"
    data["successions"][0]["fields"] = "đầu tư công"
    group = data["groups"][0]
    group["members"] = [c for c in group["members"] if c != "stc"] + ["so-moi"]
    changed = tmp_path / "orgs.json"
    changed.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    untouched = {a.code: (a.name, a.parent_id, a.search_text) for a in Agency.objects.exclude(code="syt")}
    version = spans.version()
    with CaptureQueriesContext(connection) as queries:
        load_orgs(changed)
    assert len(queries) <= 25, [q["sql"][:80] for q in queries]
    assert spans.version() > version  # memoised pages print agencies' names
    syt_now = Agency.objects.get(code="syt")
    assert syt_now.name == "Sở Y tế tỉnh Tuyên Quang" and syt_now.parent.code == "ubnd-tinh"
    assert "so y te tinh tuyen quang" in syt_now.search_text
    new = Agency.objects.get(code="so-moi")
    assert new.alias_list() == ["Sở Mới thành lập"] and new.sort_key  # derived as save() derives them
    assert {a.code: (a.name, a.parent_id, a.search_text) for a in Agency.objects.exclude(code__in=["syt", "so-moi"])} == untouched
    first = data["successions"][0]
    link = Succession.objects.get(predecessor__code=first["from"], successor__code=first["to"])
    assert (link.note, link.fields) == ("Ghi chú mới", "đầu tư công")
    members = set(AgencyGroup.objects.get(code=group["code"]).members.values_list("code", flat=True))
    assert members == set(group["members"])
    version = spans.version()
    load_orgs(changed)  # the same file again: nothing written, nothing to recompute
    assert spans.version() == version
