from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("ke-hoach/<int:plan_id>/", views.plan_reports, name="plan"),
    path("ke-hoach/<int:plan_id>/lap/", views.create, name="create"),
    path("ke-hoach/<int:plan_id>/tong-hop/", views.consolidated_page, name="consolidated"),
    path("ke-hoach/<int:plan_id>/tong-hop.docx", views.consolidated_docx, name="consolidated_docx"),
    path("ke-hoach/<int:plan_id>/tong-hop.xlsx", views.consolidated_xlsx, name="consolidated_xlsx"),
    path("ke-hoach/<int:plan_id>/tong-hop.pdf", views.consolidated_pdf, name="consolidated_pdf"),
    path("pdf/<int:pk>/", views.pdf_job, name="pdf_job"),
    path("pdf/<int:pk>/tai-ve/", views.pdf_file, name="pdf_file"),
    # (/bao-cao/<id>/rut/ belongs to tracking: withdrawing a progress update)
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/sua/", views.edit, name="edit"),
    path("<int:pk>/lay-lai/", views.refill, name="refill"),
    path("<int:pk>/gui/", views.submit, name="submit"),
    path("<int:pk>/duyet/", views.approve, name="approve"),
    path("<int:pk>/tiep-nhan/", views.accept, name="accept"),
    path("<int:pk>/tra-lai/", views.return_report, name="return"),
    path("<int:pk>/bao-cao.docx", views.report_docx, name="docx"),
]
