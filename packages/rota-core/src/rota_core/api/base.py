"""What every Rota Round API view relies on, set on the view, never read from the host site.

DRF takes a view's policies from the site's ``REST_FRAMEWORK`` setting unless the view sets
them, so a site with its own defaults (token authentication, limit/offset pagination, its own
exception handler, ``AllowAny``) would change the documented API. Here they are pinned:

- authentication: the session only (CSRF checked on unsafe methods); anonymous is 403;
- permission: ``SignedInReadModelPermsWrite`` unless the view names its own;
- (viewsets) pagination: ``PageNumberPagination`` (``page``, ``page_size``; ``{"count",
  "next", "previous", "results"}``); filters: django-filter's backend (a bad value is a 400);
- JSON in, nested at most 32 levels (no form-encoded bodies, which any page can post
  cross-origin without a preflight: a second lock beside CSRF) and JSON out, plus DRF's
  browsable API while ``DEBUG`` is on (read per request);
- writes limited per user (``throttling.WriteRateThrottle``, ``ROTA_CORE_WRITE_RATE``);
- errors through ``exceptions.exception_handler`` (400 field errors, 404/409 ``{"detail"}``).

A viewset puts ``RotaViewSetMixin`` before the DRF class (``class RotaViewSet(
RotaViewSetMixin, viewsets.ModelViewSet)``); a plain view subclasses ``RotaAPIView``. What
stays the site's: the OpenAPI schema class (``DEFAULT_SCHEMA_CLASS``, for drf-spectacular).
"""

from collections.abc import Callable, Sequence
from typing import Any

from django.conf import settings
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.authentication import SessionAuthentication
from rest_framework.renderers import BaseRenderer, BrowsableAPIRenderer, JSONRenderer
from rest_framework.views import APIView

from .exceptions import exception_handler
from .pagination import PageNumberPagination
from .parsers import JSONParser
from .permissions import SignedInReadModelPermsWrite
from .throttling import WriteRateThrottle


class JSONRenderers(Sequence):
    """JSON; DRF's browsable API too while ``settings.DEBUG`` is on.

    A sequence read on every request (DRF instantiates ``renderer_classes`` per request and
    sets ``Vary: Accept`` when there are several), so ``DEBUG`` is taken from the running
    site, not fixed when the class is created.
    """

    def _classes(self) -> list[type[BaseRenderer]]:
        return [JSONRenderer, BrowsableAPIRenderer] if settings.DEBUG else [JSONRenderer]

    def __getitem__(self, index):
        return self._classes()[index]

    def __len__(self) -> int:
        return len(self._classes())


# No docstrings on the classes below: drf-spectacular would take them (inspect.getdoc follows
# the MRO) as the description of every view without one of its own.


# What every Rota Round view reads: authentication, permission, parsing, rendering and the
# exception handler. A throttle or parser every view needs goes here.
class RotaAPIMixin:
    authentication_classes = [SessionAuthentication]
    permission_classes = [SignedInReadModelPermsWrite]
    renderer_classes = JSONRenderers()
    parser_classes = [JSONParser]  # refuses bodies nested too deeply (400)
    throttle_classes = [WriteRateThrottle]  # writes per user (ROTA_CORE_WRITE_RATE)

    def get_exception_handler(self) -> Callable[[Exception, dict[str, Any]], Any]:
        return exception_handler


# A plain view (no list): the policies above, no pagination or filters.
class RotaAPIView(RotaAPIMixin, APIView):
    pass


# For viewsets (and generic views): the policies above, plus pages and filters.
class RotaViewSetMixin(RotaAPIMixin):
    pagination_class = PageNumberPagination
    filter_backends = [DjangoFilterBackend]
