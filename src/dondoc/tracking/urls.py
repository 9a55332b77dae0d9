from django.urls import path

from . import handover_views, views

app_name = "tracking"
urlpatterns = [
    path("viec-cua-toi/", views.my_work, name="my_work"),
    path("thong-bao/", views.notifications, name="notifications"),
    path("cho-xu-ly/", views.pending, name="pending"),
    path("giao-viec/<int:pk>/", views.assignment_detail, name="assignment"),
    path("giao-viec/<int:pk>/bao-cao/", views.post_update, name="post_update"),
    path("giao-viec/<int:pk>/hoan-thanh/", views.claim, name="claim"),
    path("giao-viec/<int:pk>/gia-han/", views.request_extension, name="request_extension"),
    path("giao-viec/<int:pk>/chi-dao/", views.give_direction, name="give_direction"),
    path("giao-viec/<int:pk>/phan-cong/", views.assign_person, name="assign_person"),
    path("hoan-thanh/<int:pk>/xac-nhan/", views.confirm, name="confirm"),
    path("hoan-thanh/<int:pk>/tra-lai/", views.return_claim, name="return"),
    path("gia-han/<int:pk>/quyet-dinh/", views.decide_extension, name="decide_extension"),
    path("chi-dao/<int:pk>/da-nhan/", views.acknowledge, name="acknowledge"),
    path("bao-cao/<int:pk>/rut/", views.withdraw_update, name="withdraw_update"),
    path("minh-chung/<int:pk>/", views.evidence_file, name="evidence"),
    path("nhiem-vu/<int:task_pk>/dieu-chinh/", views.amend_task, name="amend_task"),
    path("nhiem-vu/<int:task_pk>/huy/", views.cancel_task, name="cancel_task"),
    path("nhiem-vu/<int:task_pk>/co-quan/", views.set_agency, name="set_agency"),
    path("ban-giao/<int:agency_pk>/", handover_views.handover_page, name="handover"),
    path("ban-giao/hoan-tac/<int:pk>/", handover_views.undo_handover, name="undo_handover"),
]
