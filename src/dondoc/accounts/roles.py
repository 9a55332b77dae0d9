from django.db import models


class Role(models.TextChoices):
    ADMIN = "admin", "Quản trị hệ thống"
    LEADER = "leader", "Lãnh đạo UBND"
    COORDINATOR = "coordinator", "Cơ quan theo dõi, tổng hợp"
    HEAD = "head", "Thủ trưởng đơn vị"
    FOCAL = "focal", "Cán bộ đầu mối"
    VIEWER = "viewer", "Chỉ xem (thanh tra, kiểm tra)"


# Roles whose people belong to one agency and work on its assignments.
AGENCY_ROLES = (Role.HEAD, Role.FOCAL)
# Roles that see every agency's work.
OVERSIGHT_ROLES = (Role.ADMIN, Role.LEADER, Role.COORDINATOR, Role.VIEWER)
