"""How audit actions read in the history shown to users."""

LABELS = {
    "reminders.schedule_changed": "Sửa lịch nhắc việc", "reminders.preferences_changed": "Đổi tùy chọn nhắc việc",
    "reminders.outbox_requeued": "Gửi lại thư nhắc việc", "webhook.deliveries_requeued": "Gửi lại webhook",
    "webhook.secret_rotated": "Tạo khóa bí mật mới cho webhook", "calendar.token_created": "Tạo đường dẫn lịch",
    "calendar.token_revoked": "Thu hồi đường dẫn lịch", "calendar.tokens_revoked_by_admin": "Quản trị thu hồi đường dẫn lịch",
    "report.created": "Lập báo cáo định kỳ", "report.edited": "Sửa báo cáo định kỳ",
    "report.refilled": "Lấy lại nội dung báo cáo từ các báo cáo tiến độ",
    "report.submitted": "Gửi báo cáo định kỳ cho thủ trưởng duyệt",
    "report.approved": "Thủ trưởng duyệt, gửi báo cáo cho cơ quan tổng hợp", "report.accepted": "Cơ quan tổng hợp tiếp nhận báo cáo",
    "report.returned": "Trả lại báo cáo định kỳ", "urging.sent": "Gửi văn bản đôn đốc",
    "report.pdf_requested": "Yêu cầu chuyển báo cáo tổng hợp sang PDF",
    "plan.name_mapped": "Xác định cơ quan cho một tên trên mọi nhiệm vụ",
    "plan.name_dropped": "Bỏ một tên không phải cơ quan khỏi mọi nhiệm vụ",
    "agency.created_from_plan": "Tạo cơ quan mới từ tên trong kế hoạch",
    "plan.header_edited": "Sửa thông tin kế hoạch", "plan.discarded": "Bỏ bản nháp kế hoạch", "agency.alias_added": "Ghi nhớ tên gọi khác của cơ quan",
    "plan.header_amended": "Sửa đổi thông tin kế hoạch đã ban hành",
    "report.deadline_amended": "Đổi hạn gửi báo cáo theo sửa đổi kế hoạch",
    "target.actual_entered": "Nhập số liệu chỉ tiêu", "target.added": "Thêm chỉ tiêu",
    "target.baseline_set": "Sửa giá trị xuất phát của chỉ tiêu", "targets.synced": "Tạo chỉ tiêu từ kế hoạch",
    "job.retried": "Chạy lại việc nền sau khi tiến trình bị dừng", "job.failed": "Việc nền bị dừng, báo lỗi",
    "job.restarted": "Chạy lại việc nền", "plan.imported": "Nhập kế hoạch", "plan.published": "Ban hành giao việc", "plan.upload": "Tải lên văn bản",
    "task.draft_edited": "Sửa nhiệm vụ (bản nháp)", "task.amended": "Điều chỉnh nhiệm vụ", "task.cancelled": "Hủy nhiệm vụ",
    "task.agency_added": "Giao thêm cơ quan", "task.agency_removed": "Thôi giao cơ quan",
    "plan.parent_set": "Gắn kế hoạch thực hiện với kế hoạch cấp trên", "task.link_set": "Liên kết nhiệm vụ với nhiệm vụ cấp trên",
    "agency.handed_over": "Bàn giao công việc cho cơ quan kế thừa", "agency.handover_undone": "Hoàn tác bàn giao công việc",
    "agency.handover_scheduled": "Lên lịch bàn giao công việc", "agency.handover_cancelled": "Hủy lịch bàn giao công việc",
    "agency.handover_failed": "Lịch bàn giao không áp dụng được",
    "update.posted": "Gửi báo cáo tiến độ", "update.withdrawn": "Rút báo cáo tiến độ",
    "claim.posted": "Báo cáo hoàn thành", "claim.confirmed": "Xác nhận hoàn thành", "claim.returned": "Trả lại báo cáo hoàn thành",
    "extension.requested": "Đề nghị gia hạn", "extension.approved": "Đồng ý gia hạn", "extension.rejected": "Không đồng ý gia hạn",
    "direction.given": "Ý kiến chỉ đạo", "direction.acknowledged": "Xác nhận đã nhận chỉ đạo",
    "assignment.assignee_set": "Phân công người phụ trách",
    "login.succeeded": "Đăng nhập", "login.failed": "Đăng nhập sai mật khẩu", "login.locked_out": "Khóa đăng nhập tạm thời",
    "login.refused_locked": "Từ chối đăng nhập (đang khóa)", "login.unlocked": "Mở khóa đăng nhập",
    "login.password_ok": "Đúng mật khẩu, chờ mã xác thực", "logout": "Đăng xuất",
    "otp.failed": "Nhập sai mã xác thực", "otp.locked_out": "Khóa đăng nhập do sai mã xác thực",
    "otp.refused_locked": "Từ chối mã xác thực (đang khóa)",
    "password_check.failed": "Đổi mật khẩu: mật khẩu hiện tại sai",
    "password_check.locked_out": "Khóa do nhập sai mật khẩu hiện tại nhiều lần",
    "password_check.refused_locked": "Từ chối đổi mật khẩu (đang khóa)",
    "account.2fa_enabled": "Bật xác thực hai bước", "account.2fa_recovery_codes": "Tạo mã khôi phục mới",
    "account.2fa_reset": "Quản trị đặt lại xác thực hai bước", "access.refused": "Từ chối truy cập (không đủ quyền)",
    "account.password_changed": "Đổi mật khẩu", "account.password_reset": "Quản trị đặt lại mật khẩu",
    "account.created": "Tạo tài khoản", "account.changed": "Quản trị sửa tài khoản", "account.activated": "Mở lại tài khoản", "account.deactivated": "Khóa tài khoản",
    "account.imported": "Nhập danh sách tài khoản", "token.created": "Tạo khóa truy cập API",
    "token.revoked": "Thu hồi khóa truy cập API", "agencygroup.members_set": "Sửa danh sách cơ quan của nhóm", "orgs.loaded": "Nạp dữ liệu cơ quan, đơn vị từ tệp",
    "orgs.reorganisation_loaded": "Nạp danh sách sắp xếp tổ chức bộ máy từ tệp Excel",
    "file.downloaded": "Tải tệp", "plan.imported_sheet": "Nhập danh sách nhiệm vụ từ Excel",
    "task.draft_added": "Thêm nhiệm vụ (bản nháp)", "task.draft_deleted": "Xóa nhiệm vụ (bản nháp)",
    "task.draft_merged": "Gộp nhiệm vụ (bản nháp)", "task.draft_moved": "Chuyển nhiệm vụ (bản nháp)",
    "task.draft_split": "Tách nhiệm vụ (bản nháp)",
    "plan.draft_undone": "Hoàn tác một thao tác rà soát", "plan.tasks_reviewed": "Đánh dấu nhiệm vụ đã rà soát",
    "plan.tasks_unreviewed": "Bỏ đánh dấu đã rà soát", "section.draft_added": "Thêm mục (bản nháp)",
    "section.draft_renamed": "Sửa mục (bản nháp)", "section.draft_moved": "Chuyển mục (bản nháp)",
    "section.draft_deleted": "Xóa mục (bản nháp)",
}

# The admin pages record "<model>.created|changed|deleted" for every model they edit (audit/admin.py).
ADMIN_VERBS = {"created": "Quản trị thêm", "changed": "Quản trị sửa", "deleted": "Quản trị xóa"}


def label(action: str) -> str:
    if action in LABELS:
        return LABELS[action]
    model_name, _, verb = action.rpartition(".")
    if verb in ADMIN_VERBS and (name := _verbose_name(model_name)):
        return f"{ADMIN_VERBS[verb]} {name}"
    return action


def object_label(object_type: str) -> str:
    """An event's object type ("plans.task") as people say it ("nhiệm vụ"); the code when no model has it."""
    from django.apps import apps

    try:
        return str(apps.get_model(object_type)._meta.verbose_name) if object_type else ""
    except (LookupError, ValueError):
        return object_type


def _verbose_name(model_name: str) -> str:
    from django.apps import apps

    for model in apps.get_models():
        if model._meta.model_name == model_name:
            return str(model._meta.verbose_name)
    return ""
