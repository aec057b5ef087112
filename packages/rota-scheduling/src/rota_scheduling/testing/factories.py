"""factory_boy factories for rota-scheduling's models (install ``rota-scheduling[testing]``).

Unlike rota-core's factories these go through the services, so a rota's rotation state
(current shift, next handoff) is what a real rota would have::

    alice, bob = PersonFactory.create_batch(2)
    rota = RotaFactory(members=[alice, bob], cadence="daily", now=some_instant)
    OverrideFactory(rota=rota, person=bob, starts_at=..., ends_at=..., now=some_instant)

``now`` (default: the current time) is the instant the service acts at.
"""

import datetime as dt

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from rota_core.testing.factories import PersonFactory, UserFactory
from rota_scheduling import services
from rota_scheduling.models import Override, Rota

__all__ = ["OverrideFactory", "PersonFactory", "RotaFactory", "UserFactory"]


class RotaFactory(DjangoModelFactory):
    """A rota created by ``services.rota_create``; ``members`` is a list of people (or ids)."""

    class Meta:
        model = Rota

    name = factory.Sequence(lambda n: f"Rota {n:04d}")
    cadence = "weekly"
    interval = 1
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=7))
    handoff_time = dt.time(9, 0)
    timezone = "UTC"

    @classmethod
    def _create(cls, model_class, *args, members=(), now=None, **fields):
        ids = [getattr(member, "pk", member) for member in members]
        return services.rota_create(fields=fields, members=ids, now=now)

    @classmethod
    def _build(cls, model_class, *args, members=(), now=None, **fields):
        return model_class(*args, **fields)


class OverrideFactory(DjangoModelFactory):
    """An override created by ``services.override_create``: one day from now unless given."""

    class Meta:
        model = Override

    rota = factory.SubFactory(RotaFactory)
    person = factory.SubFactory(PersonFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(hours=1))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(days=1))
    reason = ""

    @classmethod
    def _create(cls, model_class, *args, now=None, **fields):
        return services.override_create(now=now, **fields)

    @classmethod
    def _build(cls, model_class, *args, now=None, **fields):
        return model_class(*args, **fields)
