"""The JSON API of this app (routes in ``rota_settings.urls``)."""
