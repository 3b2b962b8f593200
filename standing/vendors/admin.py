from django.contrib import admin

from .models import Vendor

admin.site.register(Vendor)
