from django.urls import path

from . import review_views, views

app_name = "plans"
urlpatterns = [
    path("", views.plan_list, name="list"),
    path("tai-len/", views.upload, name="upload"),
    path("tai-len/<int:pk>/", views.job_status, name="job"),
    path("tai-len/<int:pk>/chay-lai/", views.job_restart, name="job_restart"),
    path("nhap-excel/", views.import_xlsx, name="import_xlsx"),
    path("<int:pk>/danh-muc.xlsx", views.export_xlsx, name="export_xlsx"),
    path("<int:pk>/nhap-excel/", views.reimport_xlsx, name="reimport_xlsx"),
    path("<int:pk>/", views.plan_detail, name="detail"),
    path("<int:pk>/sua-doi/", views.amend_header, name="amend_header"),
    path("<int:pk>/nhiem-vu/", views.task_list, name="tasks"),
    path("<int:pk>/lien-ket/", views.plan_links, name="links"),
    path("<int:pk>/nhiem-vu/<int:task_pk>/", views.task_detail, name="task"),
    path("<int:pk>/ra-soat/", review_views.review, name="review"),
    path("<int:pk>/ra-soat/ten-co-quan/", review_views.map_name, name="map_name"),
    path("<int:pk>/ra-soat/ten-co-quan/tao/", review_views.create_agency_for_name, name="create_agency_for_name"),
    path("<int:pk>/ra-soat/ten-co-quan/bo/", review_views.drop_name, name="drop_name"),
    path("<int:pk>/ra-soat/thong-tin/", review_views.edit_header, name="edit_header"),
    path("<int:pk>/ra-soat/bo/", review_views.discard, name="discard"),
    path("<int:pk>/ra-soat/hoan-tac/", review_views.undo, name="undo"),
    path("<int:pk>/ra-soat/da-ra-soat/", review_views.mark_reviewed, name="mark_reviewed"),
    path("<int:pk>/ra-soat/gop/", review_views.merge_selected, name="merge_selected"),
    path("<int:pk>/ra-soat/them-tu-van-ban/", review_views.add_from_source, name="add_from_source"),
    path("<int:pk>/ra-soat/muc/", review_views.add_section, name="add_section"),
    path("<int:pk>/ra-soat/muc/<int:section_pk>/", review_views.edit_section, name="edit_section"),
    path("<int:pk>/ra-soat/<int:task_pk>/", review_views.review_task, name="review_task"),
    path("<int:pk>/ra-soat/<int:task_pk>/xoa/", review_views.delete_task, name="delete_task"),
    path("<int:pk>/ra-soat/<int:task_pk>/tach/", review_views.split_task, name="split_task"),
    path("<int:pk>/ra-soat/<int:task_pk>/gop/", review_views.merge_task, name="merge_task"),
    path("<int:pk>/ra-soat/<int:task_pk>/them/", review_views.add_task, name="add_task"),
    path("<int:pk>/ra-soat/<int:task_pk>/chuyen-muc/", review_views.move_task, name="move_task"),
    path("<int:pk>/ban-hanh/", review_views.publish, name="publish"),
]
