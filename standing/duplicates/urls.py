from django.urls import path

from . import views

app_name = "duplicates"
urlpatterns = [
    path("", views.pair_list, name="list"),
    path("merge/<str:number>/", views.merge_view, name="merge"),
    path("dismiss/<str:number>/<str:other>/", views.dismiss, name="dismiss"),
]
