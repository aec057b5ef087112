"""factory_boy factories for rota-core's models (install ``rota-core[testing]``).

Factories write rows directly; they do not go through the services (so e.g. an inactive
``PersonFactory`` has no ``deactivated_at`` unless you give one).
"""

import datetime as dt

import factory
from django.conf import settings
from django.utils import timezone
from factory.django import DjangoModelFactory

from rota_core.models import Person, Unavailability


class UserFactory(DjangoModelFactory):
    """A login user whose password is ``"pass"`` unless given: ``UserFactory(password="x")``."""

    class Meta:
        model = settings.AUTH_USER_MODEL
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")

    @factory.post_generation
    def password(self, create: bool, extracted: str | None, **kwargs: object) -> None:
        self.set_password(extracted if extracted is not None else "pass")
        if create:
            self.save(update_fields=["password"])


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Person {n:04d}")
    email = factory.Sequence(lambda n: f"person{n}@example.com")
    user = None
    timezone = None  # follows the rota's or the system zone
    is_active = True
    notify_email = True


class UnavailabilityFactory(DjangoModelFactory):
    """One day starting tomorrow at this time, unless given."""

    class Meta:
        model = Unavailability

    person = factory.SubFactory(PersonFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=1))
    ends_at = factory.LazyAttribute(lambda row: row.starts_at + dt.timedelta(days=1))
    reason = ""
