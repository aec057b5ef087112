"""API routes of this app (mounted by the site under /api/v1/)."""

urlpatterns: list = []
