from django.contrib import admin
from django.urls import include, path

from rota_core.admin_login import limited_admin_login

urlpatterns = [
    path("api/v1/", include("rota_core.urls")),
    path("admin/login/", limited_admin_login(admin.site)),
    path("admin/", admin.site.urls),
]
