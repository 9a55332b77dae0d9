from django.urls import path

from . import views

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
    path("<int:pk>/nhiem-vu/", views.task_list, name="tasks"),
    path("<int:pk>/nhiem-vu/<int:task_pk>/", views.task_detail, name="task"),
    path("<int:pk>/ra-soat/", views.review, name="review"),
    path("<int:pk>/ra-soat/ten-co-quan/", views.map_name, name="map_name"),
    path("<int:pk>/ra-soat/thong-tin/", views.edit_header, name="edit_header"),
    path("<int:pk>/ra-soat/bo/", views.discard, name="discard"),
    path("<int:pk>/ra-soat/<int:task_pk>/", views.review_task, name="review_task"),
    path("<int:pk>/ra-soat/<int:task_pk>/xoa/", views.delete_task, name="delete_task"),
    path("<int:pk>/ra-soat/<int:task_pk>/tach/", views.split_task, name="split_task"),
    path("<int:pk>/ra-soat/<int:task_pk>/gop/", views.merge_task, name="merge_task"),
    path("<int:pk>/ra-soat/<int:task_pk>/them/", views.add_task, name="add_task"),
    path("<int:pk>/ra-soat/<int:task_pk>/chuyen-muc/", views.move_task, name="move_task"),
    path("<int:pk>/ban-hanh/", views.publish, name="publish"),
]
