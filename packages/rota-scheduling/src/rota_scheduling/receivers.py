"""Receivers for events of the apps below this one (rota-settings, rota-core)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.utils import timezone

from rota_core.models import Person, Unavailability

from .models import Membership
from .selectors import CHANGE_HORIZON, turns_by_person
from .services.changes import diff_turns
from .signals import schedule_changed


def follow_system_timezone(sender, *, old=None, **kwargs) -> None:
    from .services import rotas_follow_system_timezone

    rotas_follow_system_timezone(old_zone=old)


# Leave and deactivation change who is available, so they can move future turns: compare each
# affected rota's next 14 days before and after the write (schedule_changed, cause
# "unavailability"). "Before" is taken in pre_save/pre_delete, while the database still holds
# the old row.


def _rota_ids(person_ids: set[int]) -> list[int]:
    return list(
        Membership.objects.filter(person_id__in=person_ids, rota__is_active=True).values_list(
            "rota_id", flat=True
        )
    )


def _snapshot(person_ids: set[int]) -> dict:
    from .models import Rota

    now = timezone.now()
    window = (now, now + CHANGE_HORIZON)
    rotas = Rota.objects.filter(id__in=_rota_ids(person_ids)).select_related("current_shift")
    return {
        "window": window,
        "turns": {r.id: turns_by_person(rota=r, start=window[0], end=window[1]) for r in rotas},
    }


def _deleting_people(origin) -> bool:
    """Whether a deletion started from people (one, or a queryset of them)."""
    return isinstance(origin, Person) or (
        isinstance(origin, QuerySet) and issubclass(origin.model, Person)
    )


def _before(sender, instance, origin=None, **kwargs) -> None:
    if sender is Unavailability and _deleting_people(origin):
        return  # their own deletion takes their leave with it: see _before_leaving
    person_id = instance.pk if isinstance(instance, Person) else instance.person_id
    if person_id is None:
        return
    people = {person_id}
    if isinstance(instance, Person):
        old = Person.objects.filter(pk=person_id).values_list("is_active", flat=True).first()
        if old is None or old == instance.is_active:
            return
    elif instance.pk is not None:
        # Leave moved to someone else frees the former person's turns too.
        people.update(
            Unavailability.objects.filter(pk=instance.pk).values_list("person_id", flat=True)
        )
    instance._rota_turns_before = _snapshot(people)


def _after(sender, instance, **kwargs) -> None:
    _announce(instance.__dict__.pop("_rota_turns_before", None), cause="unavailability")


# People can be deleted while no shift refers to them. They leave their rotas, which moves
# the others' turns (cause "members"); they are gone, so nothing is said to them (nor to others
# deleted with them: every deleted row is gone before the first post_delete).


def _before_leaving(sender, instance, **kwargs) -> None:
    instance._rota_turns_before = _snapshot({instance.pk})


def _after_leaving(sender, instance, **kwargs) -> None:
    snapshot = instance.__dict__.pop("_rota_turns_before", None)
    _announce(snapshot, cause="members", only_existing=True)


def _announce(snapshot: dict | None, *, cause: str, only_existing: bool = False) -> None:
    if not snapshot:
        return
    from .models import Rota

    start, end = snapshot["window"]
    for rota in Rota.objects.filter(id__in=snapshot["turns"]).select_related("current_shift"):
        changes = diff_turns(
            snapshot["turns"][rota.id], turns_by_person(rota=rota, start=start, end=end)
        )
        if only_existing and changes:
            kept = set(Person.objects.filter(pk__in=changes).values_list("pk", flat=True))
            changes = {pid: change for pid, change in changes.items() if pid in kept}
        if changes:
            schedule_changed.send(
                sender=Rota, rota=rota, changes=changes, window=(start, end), cause=cause
            )


def connect_availability_receivers() -> None:
    for model in (Unavailability, Person):
        uid = f"rota_scheduling.availability.{model.__name__}"
        pre_save.connect(_before, sender=model, dispatch_uid=f"{uid}.pre_save")
        post_save.connect(_after, sender=model, dispatch_uid=f"{uid}.post_save")
    pre_delete.connect(_before, sender=Unavailability, dispatch_uid="rota_scheduling.unav.pre_del")
    post_delete.connect(_after, sender=Unavailability, dispatch_uid="rota_scheduling.unav.post_del")
    pre_delete.connect(
        _before_leaving, sender=Person, dispatch_uid="rota_scheduling.person.pre_del"
    )
    post_delete.connect(
        _after_leaving, sender=Person, dispatch_uid="rota_scheduling.person.post_del"
    )
