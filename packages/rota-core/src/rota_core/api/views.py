from rest_framework import viewsets
from rest_framework.serializers import BaseSerializer

from .. import selectors, services
from ..models import Person, Unavailability
from .base import RotaViewSetMixin
from .filters import PersonFilter, UnavailabilityFilter
from .permissions import OwnPersonOrModelPerms
from .serializers import PersonSerializer, UnavailabilitySerializer

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
