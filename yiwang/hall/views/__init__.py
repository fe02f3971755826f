"""Hall pages, one module per part; each module lists its own ``urlpatterns`` (staff pages,
mounted under /workbench/hall/) or ``public_urlpatterns`` (citizens, displays and kiosks)."""
