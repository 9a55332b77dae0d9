"""One realistic example per API operation (issue 17), put into the OpenAPI schema by DondocAPI.get_openapi_schema:
the request body where the operation reads JSON, the success answer, and the query parameters where they help.

Keyed by method and path under /api/v1, as the schema writes them. Each entry may hold:

- "query": {parameter: value}: the `example` of each of those query parameters;
- "request": the `example` of the JSON request body;
- "response": the `example` of the JSON success answer (the operation's one 2xx code);
- "file": the media type of a download (the success answer documented as that file, no example: it is binary);
- "no_content": True for a 204 with no body.

tests/api/test_openapi_examples.py checks that every operation has an entry, that every example validates against
its schema in the same document, and that some of them have the keys of a real answer. The content is from Plan
78/KH-UBND of Tuyên Quang; the ids are as a live database might number them. A request example must be one the API
would accept, or refuse with 400, 404 or 409 (schemathesis sends them as they are)."""

from __future__ import annotations

from dondoc.audit import DOCX, XLSX

PLAN = {"id": 3, "number": "78/KH-UBND",
        "title": "Sửa chữa, khắc phục hạn chế, khuyết điểm sau kiểm điểm tự phê bình và phê bình năm 2023"}
STC = {"id": 14, "name": "Sở Tài chính"}
SYT = {"id": 21, "name": "Sở Y tế"}
SKHDT = {"id": 12, "name": "Sở Kế hoạch và Đầu tư"}
TASK_1 = {"id": 57, "ref": "1.1#1", "text": "Xây dựng kịch bản tăng trưởng kinh tế - xã hội hằng quý, 6 tháng và cả năm 2024"}
TASK_2 = {"id": 58, "ref": "1.1#2", "text": "Triển khai bệnh án điện tử tại các bệnh viện tuyến tỉnh"}

BRIEF_OVERDUE = {"id": 301, "task": TASK_1, "agency": STC, "role": "lead", "status": "overdue",
                 "due_date": "2024-09-30", "due_basis": "own"}
BRIEF_OPEN = {"id": 305, "task": TASK_2, "agency": SYT, "role": "lead", "status": "open_in_time",
              "due_date": "2024-12-15", "due_basis": "extended"}


def _counts(total, done_on_time, done_late, open_in_time, overdue, awaiting, ongoing) -> dict:
    due = done_on_time + done_late + overdue
    return {"total": total, "done_on_time": done_on_time, "done_late": done_late, "open_in_time": open_in_time,
            "overdue": overdue, "awaiting_confirmation": awaiting, "ongoing": ongoing, "due": due,
            "due_done_rate": round((done_on_time + done_late) / due, 4) if due else 0.0}


CLAIM = {"id": 41, "completed_on": "2024-10-10",
         "output": "Công văn số 2150/STC-QLNS ngày 10/10/2024 gửi Ủy ban nhân dân tỉnh", "state": "pending", "reason": ""}
EXTENSION = {"id": 9, "original_due": "2024-09-30", "new_deadline": "2024-12-15",
             "reason": "Chờ số liệu quyết toán ngân sách quý III từ các huyện", "state": "approved"}
DIRECTION = {"id": 17, "author": "Nguyễn Văn Sơn", "created_at": "2024-10-08T15:20:00+07:00",
             "text": "Đề nghị Sở Tài chính khẩn trương hoàn thành, báo cáo Ủy ban nhân dân tỉnh trước ngày 20/10/2024.",
             "to_agency": STC, "acknowledged": True}
REPORT = {"id": 88, "agency": STC, "period": "2024-Q3", "period_label": "Quý III năm 2024", "state": "submitted",
          "late": False, "deadline": "2024-09-20", "submitted_at": "2024-09-18T10:05:00+07:00", "version": 3}
REPORT_ITEM = {"id": 5012, "task_id": 57, "task_ref": "1.1#1", "role": "lead",
               "results": "Đã xây dựng kịch bản tăng trưởng quý III, trình Ủy ban nhân dân tỉnh cho ý kiến.",
               "difficulties": "Số liệu thu ngân sách của một số huyện gửi chậm.",
               "proposals": "Đề nghị các huyện gửi số liệu trước ngày 05 của tháng cuối quý.", "percent": 80,
               "status": "open_in_time"}
REPORT_DETAIL = {**REPORT, "plan_id": 3, "summary": "Sở Tài chính đã triển khai các nhiệm vụ được giao tại Kế hoạch số 78/KH-UBND.",
                 "difficulties": "Nhân lực làm công tác tổng hợp còn thiếu.", "proposals": "", "return_reason": "",
                 "items": [REPORT_ITEM]}
ACTUAL = {"id": 230, "period": "2024-Q3", "period_label": "Quý III năm 2024", "value": 95.5, "unit": "%",
          "note": "Số liệu của Cục Thống kê tỉnh", "agency": "Sở Y tế", "entered_at": "2024-10-05T09:30:00+07:00",
          "entered_by": "Trần Thị Mai", "counts": True}
TARGET = {"id": 6, "task": {"id": 64, "ref": "2.1#1"},
          "text": "Tỷ lệ dân số có sổ sức khỏe điện tử đạt ít nhất 95%", "op": ">=", "value": 95.0, "unit": "%",
          "baseline": 72.4, "source": "Nghị quyết số 05/NQ-HĐND", "lead_agencies": ["Sở Y tế"], "due_date": "2024-12-31",
          "latest": ACTUAL, "colour": "green", "colour_label": "Dự kiến đạt", "reason": "Đã đạt chỉ tiêu."}
CAL_TOKEN = {"id": 4, "scope": "personal", "agency_id": None, "prefix": "k3Q9xZ",
             "created_at": "2024-09-02T08:00:00+07:00", "last_used_at": "2024-10-14T06:30:00+07:00"}
API_TOKEN = {"id": 7, "name": "Trung tâm điều hành IOC", "prefix": "dd_7Hk2",
             "created_at": "2024-09-10T14:00:00+07:00", "last_used_at": "2024-10-15T07:45:00+07:00"}
JOB = {"id": 12, "state": "done", "progress": 100, "plan_id": 3, "error": None,
       "message": "Đã đọc 64 nhiệm vụ, 7 chỉ tiêu"}
SCHEDULE = {"before_days": [7, 1], "on_the_day": True, "overdue_every": 3, "report_before_days": [7, 1]}
SETTINGS = {"digest_hour": 7, "email_digest": True, "only_mandatory": False, "has_email": True}
PLAN_OUT = {**PLAN, "date": "2024-04-23", "status": "published", "task_count": 64}


EXAMPLES: dict[str, dict] = {
    # Cơ quan, đơn vị
    "GET /agencies": {
        "query": {"q": "tai chinh"},
        "response": {"count": 1, "items": [
            {"id": 14, "code": "stc", "name": "Sở Tài chính", "short_name": "Sở Tài chính", "kind": "department",
             "valid_from": None, "valid_to": None, "successors": []}]},
    },

    "GET /agencies/{agency_id}/handover": {
        "query": {"effective": "2025-03-01"},
        "response": {"count": 2, "items": [
            {"assignment": 412, "role": "lead", "task": {"id": 201, "ref": "III.2#1", "plan": 3,
                                                          "text": "Theo dõi, đôn đốc việc triển khai thực hiện Kế hoạch này"},
             "proposed": [STC]},
            {"assignment": 418, "role": "coordinating", "task": {"id": 57, "ref": "1.1#1", "plan": 3, "text": TASK_1["text"]},
             "proposed": [STC]}]},
    },
    "POST /agencies/{agency_id}/handover": {
        "request": {"effective": "2025-03-01", "choices": [{"assignment": 412, "successors": [14]}],
                    "accounts": "move", "accounts_to": 14},
        "response": {"id": 2, "assignments": 1, "effective": "2025-03-01", "state": "applied"},
    },

    # Kế hoạch
    "GET /plans": {"response": {"count": 2, "items": [
        PLAN_OUT,
        {"id": 4, "number": "120/KH-UBND", "title": "Chuyển đổi số tỉnh Tuyên Quang năm 2025", "date": None,
         "status": "draft", "task_count": 0}]}},
    "GET /plans/{plan_id}": {"response": {
        **PLAN_OUT, "issuer": "Ủy ban nhân dân tỉnh Tuyên Quang", "coordinating_agency": SKHDT,
        "agency_report_date": "2024-12-10", "coordinator_report_date": "2024-12-20", "revision_of": None,
        "parent": None, "owner": None,
        "children": [{"id": 5, "number": "1185/KH-STC", "title": "Thực hiện Kế hoạch số 78/KH-UBND ngày 23/4/2024 của "
                      "Ủy ban nhân dân tỉnh", "date": "2024-05-10", "status": "published", "task_count": 23}],
        "sections": [{"ref": "I", "title": "Công tác lãnh đạo, chỉ đạo, điều hành phát triển kinh tế - xã hội", "parent": None},
                     {"ref": "1", "title": "Về sản xuất nông, lâm nghiệp, thủy sản", "parent": "I"}]}},
    "GET /plans/{plan_id}/tasks": {
        "query": {"section": "1", "agency": 14, "q": "kich ban tang truong"},
        "response": {"count": 1, "items": [
            {"id": 57, "ref": "1.1#1", "text": TASK_1["text"], "section": "1",
             "deadline": {"date": "2024-09-30", "text": "trước ngày 30/9/2024", "recurrence": None, "basis": "own"},
             "needs_lead": False,
             "assignments": [{"id": 301, "agency": STC, "role": "lead"}, {"id": 302, "agency": SKHDT, "role": "coordinating"}]}]},
    },
    "POST /plans/import": {"response": {"job_id": 12}},
    "GET /jobs/{job_id}": {"response": JOB},
    "POST /jobs/{job_id}/restart": {"response": {**JOB, "state": "queued", "progress": 0, "plan_id": None,
                                                 "message": "Đang chờ"}},
    "POST /plans/{plan_id}/publish": {"response": PLAN_OUT},
    "GET /plans/{plan_id}/tasks.xlsx": {"file": XLSX},

    # Theo dõi thực hiện
    "GET /me/assignments": {"response": {"count": 2, "items": [{**BRIEF_OVERDUE, "predecessor": None},
                                                               {**BRIEF_OPEN, "agency": STC, "predecessor": 288}]}},
    "GET /assignments": {
        "query": {"agency": 14, "role": "lead", "status": "overdue", "on": "2024-10-15", "sort": "due"},
        "response": {"count": 2, "items": [{**BRIEF_OVERDUE, "predecessor": None}, {**BRIEF_OPEN, "predecessor": None}]},
    },
    "GET /tasks": {
        "query": {"plan": 3, "status": "overdue,open_in_time", "due_to": "2024-12-31"},
        "response": {"count": 1, "items": [
            {"id": 57, "plan": PLAN, "ref": "1.1#1", "text": TASK_1["text"], "status": "overdue",
             "due_date": "2024-09-30", "due_basis": "own", "leads": [STC], "coordinating": [SKHDT]}]},
    },
    "GET /assignments/{assignment_id}": {"response": {
        **BRIEF_OVERDUE,
        "updates": [{"id": 118, "author": "Lê Thị Hoa", "created_at": "2024-10-02T16:40:00+07:00",
                     "text": "Đã hoàn thành dự thảo kịch bản tăng trưởng quý IV, đang lấy ý kiến các sở, ngành.",
                     "percent": 70, "difficulties": "Chưa đủ số liệu của Cục Thống kê tỉnh.", "proposals": "",
                     "withdrawn": False, "files": ["du-thao-kich-ban-quy-IV.docx"]}],
        "claims": [CLAIM], "extensions": [{**EXTENSION, "state": "pending"}],
        "directions": [{key: DIRECTION[key] for key in ("id", "author", "created_at", "text")}],
        "predecessor": {"assignment": 288, "agency": SKHDT, "on": "2025-03-01"}, "successors": [],
        "implemented_by": [{"id": 812, "ref": "1.2#1", "plan": 5,
                            "text": "chủ trì xây dựng dự toán thu ngân sách nhà nước, dự toán chi ngân sách địa phương"}]}},
    "POST /assignments/{assignment_id}/updates": {
        "request": {"text": "Đã hoàn thành dự thảo kịch bản tăng trưởng quý IV, đang lấy ý kiến các sở, ngành.",
                    "percent": 70, "difficulties": "Chưa đủ số liệu của Cục Thống kê tỉnh.",
                    "proposals": "Đề nghị Cục Thống kê tỉnh cung cấp số liệu trước ngày 20/10/2024."},
        "response": {"id": 118},
    },
    "POST /assignments/{assignment_id}/claim": {
        "request": {"completed_on": "2024-10-10", "output": CLAIM["output"]},
        "response": {"id": 41},
    },
    "POST /assignments/{assignment_id}/confirm": {"response": {**CLAIM, "state": "confirmed"}},
    "POST /assignments/{assignment_id}/return": {
        "request": {"reason": "Chưa kèm văn bản trình Ủy ban nhân dân tỉnh; đề nghị bổ sung."},
        "response": {**CLAIM, "state": "returned", "reason": "Chưa kèm văn bản trình Ủy ban nhân dân tỉnh; đề nghị bổ sung."},
    },
    "POST /assignments/{assignment_id}/extensions": {
        "request": {"new_deadline": "2024-12-15", "reason": EXTENSION["reason"]},
        "response": {"id": 9},
    },
    "POST /extensions/{extension_id}/decide": {
        "request": {"approve": True, "note": "Đồng ý gia hạn đến ngày 15/12/2024."},
        "response": EXTENSION,
    },
    "GET /assignments/{assignment_id}/directions": {"response": {"count": 2, "items": [
        DIRECTION,
        {"id": 15, "author": "Nguyễn Văn Sơn", "created_at": "2024-09-20T09:00:00+07:00",
         "text": "Các cơ quan được giao nhiệm vụ tập trung triển khai, bảo đảm đúng thời hạn.", "to_agency": None,
         "acknowledged": False}]}},
    "POST /assignments/{assignment_id}/directions": {
        "request": {"text": DIRECTION["text"], "only_this_agency": True},
        "response": {**DIRECTION, "acknowledged": False},
    },
    "POST /directions/{direction_id}/acknowledge": {"response": DIRECTION},
    "GET /tasks/{task_id}/history": {"response": {"count": 2, "items": [
        {"at": "2024-10-02T16:40:00+07:00", "actor": "stc.canbo", "actor_display_name": "Lê Thị Hoa",
         "action": "update.posted", "label": "Gửi báo cáo tiến độ",
         "changes": {"update": 118, "percent": 70, "files": ["du-thao-kich-ban-quy-IV.docx"]}},
        {"at": "2024-10-10T11:00:00+07:00", "actor": "stc.thutruong", "actor_display_name": "Phạm Minh Đức",
         "action": "claim.posted", "label": "Báo cáo hoàn thành", "changes": {"claim": 41, "completed_on": "2024-10-10"}}]}},
    "GET /periods": {
        "query": {"kind": "quarterly", "year": 2024, "plan": 3},
        "response": {"count": 2, "items": [
            {"id": "2024-Q3", "kind": "quarterly", "label": "Quý III năm 2024", "start": "2024-06-15",
             "end": "2024-09-14", "deadline": "2024-09-20"},
            {"id": "2024-Q4", "kind": "quarterly", "label": "Quý IV năm 2024", "start": "2024-09-15",
             "end": "2024-12-14", "deadline": "2024-12-10"}]},
    },

    # Tổng hợp, xếp hạng
    "GET /plans/{plan_id}/summary": {
        "query": {"as_of": "2024-10-15"},
        "response": {
            **_counts(64, 20, 6, 25, 8, 3, 2), "as_of": "2024-10-15",
            "by_section": [{**_counts(12, 4, 1, 5, 2, 0, 0), "ref": "I",
                            "title": "Công tác lãnh đạo, chỉ đạo, điều hành phát triển kinh tế - xã hội"}],
            "by_agency": [{**_counts(9, 3, 1, 3, 2, 0, 0), "agency": STC}]},
    },
    "GET /summary": {
        "query": {"as_of": "2024-10-15"},
        "response": {**_counts(64, 20, 6, 25, 8, 3, 2), "as_of": "2024-10-15",
                     "by_plan": [{**_counts(64, 20, 6, 25, 8, 3, 2), "plan": PLAN}]},
    },
    "GET /rankings": {
        "query": {"from": "2024-01-01", "to": "2024-09-30"},
        "response": {"count": 2, "items": [
            {"rank": 1, "agency": SYT, "on_time_rate": 0.9, "overdue": 0, "late_reports": 0, "done_on_time": 9,
             "done_late": 1, "due": 10, "total": 14},
            {"rank": 2, "agency": STC, "on_time_rate": 0.625, "overdue": 2, "late_reports": 1, "done_on_time": 5,
             "done_late": 1, "due": 8, "total": 9}],
            "from": "2024-01-01", "to": "2024-09-30", "as_of": "2024-10-15"},
    },

    # Nhắc việc, lịch
    "GET /reminders/schedule": {"response": SCHEDULE},
    "PUT /reminders/schedule": {"request": {"before_days": [7, 3, 1], "overdue_every": 3},
                                "response": {**SCHEDULE, "before_days": [7, 3, 1]}},
    "GET /me/notification-settings": {"response": SETTINGS},
    "PUT /me/notification-settings": {"request": {"digest_hour": 7, "only_mandatory": False},
                                      "response": SETTINGS},
    "GET /me/calendar-tokens": {"response": {"count": 1, "items": [CAL_TOKEN]}},
    "POST /me/calendar-tokens": {
        "request": {"scope": "personal"},
        "response": {**CAL_TOKEN, "last_used_at": None,
                     "url": "https://dondoc.tuyenquang.gov.vn/lich/k3Q9xZ7pLm2Rw8Vb5Nc1Dt4Ys6Hq0Jf.ics"},
    },
    "DELETE /me/calendar-tokens/{token_id}": {"no_content": True},

    # Báo cáo
    "GET /plans/{plan_id}/reports": {
        "query": {"period": "2024-Q3"},
        "response": {"count": 2, "items": [
            REPORT, {**REPORT, "id": 91, "agency": SYT, "state": "draft", "submitted_at": None, "version": 1}]},
    },
    "POST /plans/{plan_id}/reports": {
        "request": {"period": "2024-Q3"},
        "response": {**REPORT_DETAIL, "state": "draft", "submitted_at": None, "version": 1},
    },
    "GET /reports/{report_id}": {"response": REPORT_DETAIL},
    "PUT /reports/{report_id}": {
        "request": {"version": 2, "summary": REPORT_DETAIL["summary"],
                    "items": [{"id": 5012, "results": REPORT_ITEM["results"], "difficulties": REPORT_ITEM["difficulties"],
                               "proposals": REPORT_ITEM["proposals"]}]},
        "response": {**REPORT_DETAIL, "state": "draft", "submitted_at": None},
    },
    "POST /reports/{report_id}/submit": {"response": REPORT},
    "POST /reports/{report_id}/approve": {"response": {**REPORT, "state": "approved", "version": 4}},
    "POST /reports/{report_id}/accept": {"response": {**REPORT, "state": "accepted", "version": 5}},
    "POST /reports/{report_id}/return": {
        "request": {"reason": "Thiếu kết quả thực hiện nhiệm vụ 1.1#2; đề nghị bổ sung."},
        "response": {**REPORT, "state": "returned", "version": 4},
    },
    "GET /reports/{report_id}/report.docx": {"file": DOCX},
    "GET /plans/{plan_id}/consolidated.docx": {"query": {"period": "2024-Q3", "date": "2024-09-25", "chart": True},
                                               "file": DOCX},
    "GET /plans/{plan_id}/consolidated.xlsx": {"query": {"period": "2024-Q3", "date": "2024-09-25"}, "file": XLSX},

    # Chỉ tiêu
    "GET /plans/{plan_id}/targets": {"query": {"colour": "green"}, "response": {"count": 1, "items": [TARGET]}},
    "GET /targets/{target_id}": {"response": TARGET},
    "GET /targets/{target_id}/actuals": {"response": {"count": 2, "items": [
        ACTUAL, {**ACTUAL, "id": 214, "period": "2024-H1", "period_label": "6 tháng đầu năm 2024", "value": 88.0,
                 "entered_at": "2024-07-08T10:00:00+07:00"}]}},
    "POST /targets/{target_id}/actuals": {
        "request": {"period": "2024-Q3", "value": "95,5", "unit": "%", "note": "Số liệu của Cục Thống kê tỉnh"},
        "response": ACTUAL,
    },

    # Token API
    "GET /me/api-tokens": {"response": {"count": 1, "items": [API_TOKEN]}},
    "POST /me/api-tokens": {
        "request": {"name": "Trung tâm điều hành IOC"},
        "response": {**API_TOKEN, "last_used_at": None, "token": "dd_7Hk2vQp9Ls4Xw1Zr8Tn3Bm6Yc0Fg5Je"},
    },
    "DELETE /me/api-tokens/{token_id}": {"no_content": True},
}


BINARY = {"type": "string", "format": "binary"}


def add_examples(schema: dict, prefix: str) -> None:
    """Put EXAMPLES into the generated schema, in place. An operation without an entry is left as it is (the test
    names it); an entry's request example goes to the JSON body only."""
    import copy

    for path, methods in schema["paths"].items():
        for method, op in methods.items():
            entry = EXAMPLES.get(f"{method.upper()} {path[len(prefix):]}")
            if entry is None:
                continue
            for param in op.get("parameters", []):
                if param.get("in") == "query" and param["name"] in entry.get("query", {}):
                    param["example"] = entry["query"][param["name"]]
            if "request" in entry and "requestBody" in op:
                op["requestBody"] = body = copy.deepcopy(op["requestBody"])  # may be a router's module-level dict
                if "application/json" in body.get("content", {}):
                    body["content"]["application/json"]["example"] = copy.deepcopy(entry["request"])
            responses = op.get("responses", {})
            for code in [c for c in responses if str(c).startswith("2")]:
                answer = responses[code] = copy.deepcopy(responses[code])
                if "file" in entry:
                    answer["content"] = {entry["file"]: {"schema": BINARY}}
                elif "response" in entry and "application/json" in answer.get("content", {}):
                    answer["content"]["application/json"]["example"] = copy.deepcopy(entry["response"])
