import pytest


def make_structure(**overrides):
    """A small plan as the parser would print it (docs/parser-output.md), written by hand."""
    structure = {
        "document": {"number": "12/KH-UBND", "type": "KẾ HOẠCH", "issuer": "Ủy ban nhân dân tỉnh Tuyên Quang",
                     "place": "Tuyên Quang", "date": "2024-05-06", "title": "Thực hiện chuyển đổi số năm 2024",
                     "signer": {"name": "Nguyễn Văn A", "position": "CHỦ TỊCH", "on_behalf_of": "TM. ỦY BAN NHÂN DÂN"},
                     "based_on": [], "recipients": ["Như trên"]},
        "sections": [{"ref": "II", "title": "NHIỆM VỤ, GIẢI PHÁP", "parent": None},
                     {"ref": "1", "title": "Hạ tầng số", "parent": "II"},
                     {"ref": "III", "title": "TỔ CHỨC THỰC HIỆN", "parent": None}],
        "assignments": [
            {"ref": "1.1", "section": "1", "heading": "Sở Y tế", "lead": ["Sở Y tế"], "lead_kind": "agency", "span": [10, 90],
             "tasks": [
                 {"text": "Triển khai bệnh án điện tử tại các bệnh viện", "lead_override": None,
                  "coordinating": ["Sở Tài chính"], "deadline": {"text": "trước ngày 30/9/2024", "date": "2024-09-30", "recurrence": None},
                  "targets": [], "refs": ["01/NQ-CP"], "span": [20, 60]},
                 {"text": "Báo cáo kết quả hằng quý", "lead_override": None, "coordinating": [],
                  "deadline": {"text": "hằng quý", "date": None, "recurrence": "quarterly"}, "targets": [], "refs": [], "span": [61, 89]},
             ]},
            {"ref": "1.2", "section": "1", "heading": "Ủy ban nhân dân huyện, thành phố", "lead": ["Ủy ban nhân dân huyện, thành phố"],
             "lead_kind": "group", "span": [91, 150],
             "tasks": [
                 {"text": "Phổ cập kỹ năng số cho người dân", "lead_override": None, "coordinating": ["cơ quan, đơn vị liên quan"],
                  "deadline": None, "targets": [], "refs": [], "span": [100, 140]},
                 {"text": "Hoàn thành lắp đặt hệ thống tại huyện Na Hang", "lead_override": ["Ủy ban nhân dân huyện Na Hang"],
                  "coordinating": [], "deadline": None, "targets": [], "refs": [], "span": [141, 149]},
             ]},
            {"ref": "1.3", "section": "1", "heading": "Các cơ quan, đơn vị liên quan", "lead": ["Các cơ quan, đơn vị liên quan"],
             "lead_kind": "group", "span": [151, 200],
             "tasks": [{"text": "Phối hợp cung cấp dữ liệu", "lead_override": None, "coordinating": [], "deadline": None,
                        "targets": [], "refs": [], "span": [160, 190]}]},
            {"ref": "III.2", "section": "III", "heading": None, "lead": ["Sở Kế hoạch và Đầu tư"], "lead_kind": "agency",
             "span": [201, 300],
             "tasks": [{"text": "theo dõi, đôn đốc việc triển khai thực hiện Kế hoạch này", "lead_override": None,
                        "coordinating": [], "deadline": None, "targets": [], "refs": [], "span": [210, 250]},
                       {"text": "tổng hợp, báo cáo Ủy ban nhân dân tỉnh trước ngày 15/12/2024", "lead_override": None,
                        "coordinating": [], "deadline": {"text": "trước ngày 15/12/2024", "date": "2024-12-15", "recurrence": None},
                        "targets": [], "refs": [], "span": [251, 299]}]},
            {"ref": "III.1", "section": "III", "heading": None, "lead": ["Giám đốc các sở"], "lead_kind": "group", "span": [301, 400],
             "tasks": [{"text": "Báo cáo kết quả thực hiện trước ngày 10/12/2024", "lead_override": None, "coordinating": [],
                        "deadline": {"text": "trước ngày 10/12/2024", "date": "2024-12-10", "recurrence": None},
                        "targets": [], "refs": [], "span": [310, 390]}]},
        ],
        "warnings": [],
    }
    structure.update(overrides)
    return structure


@pytest.fixture
def structure():
    return make_structure()
