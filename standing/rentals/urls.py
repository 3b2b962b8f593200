from django.urls import path

from . import views

app_name = "rentals"
urlpatterns = [
    path("items/<int:item_id>/edit/", views.edit_item, name="edit_item"),
    path("items/<int:item_id>/reload-price/", views.reload_price, name="reload_price"),
    path("items/<int:item_id>/remove/", views.remove_item, name="remove_item"),
    path("items/<int:item_id>/return/", views.take_back, name="take_back"),
    path("customers/<str:number>/damages/", views.add_damage, name="add_damage"),
    path("damages/<int:damage_id>/<str:to>/", views.damage_status, name="damage_status"),
    path("customers/<str:number>/vouchers/", views.add_voucher, name="add_voucher"),
    path("vouchers/<int:voucher_id>/redeem/", views.redeem_voucher, name="redeem_voucher"),
    path("products/", views.save_product, name="save_product"),
]
