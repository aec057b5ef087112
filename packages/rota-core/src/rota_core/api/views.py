from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, reverse
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from .. import selectors, services
from ..models import Person, Unavailability
from .base import RotaAPIView, RotaViewSetMixin
from .filters import PersonFilter, UnavailabilityFilter
from .permissions import OwnPersonOrChangePerson, OwnPersonOrModelPerms
from .serializers import CalendarTokenSerializer, PersonSerializer, UnavailabilitySerializer

# The person's iCalendar feed is served by the app that names this URL (rota-scheduling's
# ``feed_urls``); without one, ``calendar_url`` is null.
CALENDAR_FEED_URL_NAME = "rota-calendar-feed"

HTTP_METHODS_WITHOUT_PUT = ["get", "post", "patch", "delete", "head", "options"]


class PersonViewSet(RotaViewSetMixin, viewsets.ModelViewSet):
    """People who can be on duty. Deleting one who has shifts answers 409."""

    queryset = selectors.person_list()
    serializer_class = PersonSerializer
    filterset_class = PersonFilter
    http_method_names = HTTP_METHODS_WITHOUT_PUT

    def perform_create(self, serializer: BaseSerializer) -> None:
        serializer.instance = services.person_create(**serializer.validated_data)

    def perform_update(self, serializer: BaseSerializer) -> None:
        serializer.instance = services.person_update(
            person=serializer.instance, data=serializer.validated_data
        )

    def perform_destroy(self, instance: Person) -> None:
        services.person_delete(person=instance)


class UnavailabilityViewSet(RotaViewSetMixin, viewsets.ModelViewSet):
    """Periods in which a person cannot be on duty.

    Anyone signed in reads them; a user linked to a person writes that person's own rows,
    other rows need the model permissions.
    """

    queryset = selectors.unavailability_list()
    serializer_class = UnavailabilitySerializer
    filterset_class = UnavailabilityFilter
    permission_classes = [OwnPersonOrModelPerms]
    person_field = "person"
    http_method_names = HTTP_METHODS_WITHOUT_PUT

    def perform_create(self, serializer: BaseSerializer) -> None:
        serializer.instance = services.unavailability_create(**serializer.validated_data)

    def perform_update(self, serializer: BaseSerializer) -> None:
        serializer.instance = services.unavailability_update(
            unavailability=serializer.instance, data=serializer.validated_data
        )

    def perform_destroy(self, instance: Unavailability) -> None:
        services.unavailability_delete(unavailability=instance)


class PersonCalendarTokenView(RotaAPIView):
    """Rotate a person's calendar token (the old feed URL stops working). Allowed with
    ``rota_core.change_person``, or for your own linked person."""

    permission_classes = [OwnPersonOrChangePerson]

    @extend_schema(request=None, responses={201: CalendarTokenSerializer})
    def post(self, request: Request, pk: int) -> Response:
        person = get_object_or_404(selectors.person_list(), pk=pk)
        self.check_object_permissions(request, person)
        token = services.person_rotate_calendar_token(person=person)
        try:
            url = request.build_absolute_uri(
                reverse(CALENDAR_FEED_URL_NAME, kwargs={"token": token})
            )
        except NoReverseMatch:
            url = None
        return Response(
            {"calendar_token": token, "calendar_url": url}, status=status.HTTP_201_CREATED
        )
