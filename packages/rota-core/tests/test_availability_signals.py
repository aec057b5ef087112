"""availability_changing / availability_changed: sent once around each service write that can
change who is available, with the documented arguments; raw writes announce nothing."""

import datetime as dt

import pytest
from django.db.models import ProtectedError

from rota_core import services
from rota_core.models import Person, Unavailability
from rota_core.signals import availability_changed, availability_changing
from rota_core.testing.factories import PersonFactory, UnavailabilityFactory, UserFactory

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)


@pytest.fixture
def announced():
    """Each announcement as (changing kwargs, changed kwargs); the snapshot handed back is
    checked to be what the changing receiver returned, and the rows as they were before."""
    sent: list[tuple[dict, dict]] = []
    changing: list[dict] = []

    def before(sender, signal, **kwargs):
        kwargs["sender"] = sender
        kwargs["rows_before"] = list(
            Unavailability.objects.filter(person_id__in=kwargs["person_ids"]).values_list(
                "pk", flat=True
            )
        )
        changing.append(kwargs)
        return f"snapshot {len(changing)}"

    def after(sender, signal, **kwargs):
        kwargs["sender"] = sender
        assert kwargs["snapshots"][before] == f"snapshot {len(changing)}"
        sent.append((changing[-1], kwargs))

    availability_changing.connect(before, weak=False)
    availability_changed.connect(after, weak=False)
    yield sent
    availability_changing.disconnect(before)
    availability_changed.disconnect(after)


def args(kwargs: dict) -> tuple:
    return kwargs["sender"], kwargs["person_ids"], kwargs["cause"]


def test_new_changed_and_deleted_leave_are_each_announced_once(announced):
    ann, bob = PersonFactory(), PersonFactory()

    leave = services.unavailability_create(
        person=ann, starts_at=START, ends_at=START + dt.timedelta(days=1)
    )
    services.unavailability_update(unavailability=leave, data={"person": bob})
    leave_id = leave.pk
    services.unavailability_delete(unavailability=leave)

    assert [args(changing) for changing, _ in announced] == [
        (Unavailability, frozenset({ann.pk}), "leave"),
        (Unavailability, frozenset({ann.pk, bob.pk}), "leave"),  # moved: both
        (Unavailability, frozenset({bob.pk}), "leave"),
    ]
    assert [args(changed) for _, changed in announced] == [args(c) for c, _ in announced]
    assert [changed["deleted_person_ids"] for _, changed in announced] == [frozenset()] * 3
    # "changing" comes before the write: the new row is not there yet, the deleted one still is
    assert announced[0][0]["rows_before"] == []
    assert announced[2][0]["rows_before"] == [leave_id]


def test_switching_a_person_on_or_off_is_announced_and_other_edits_are_not(announced):
    person = PersonFactory()

    services.person_update(person=person, data={"name": "Renamed", "notify_email": False})
    services.person_update(person=person, data={"is_active": False})
    services.person_update(person=person, data={"is_active": False, "name": "Again"})
    services.person_update(person=person, data={"is_active": True})
    services.person_create(name="New", email="new@example.com", is_active=False)

    assert [args(changed) for _, changed in announced] == [
        (Person, frozenset({person.pk}), "activation"),
        (Person, frozenset({person.pk}), "activation"),
    ]


def test_deleting_people_names_them_as_deleted(announced):
    one, two, three = PersonFactory.create_batch(3)
    ids = one.pk, two.pk, three.pk

    services.person_delete(person=one)
    assert services.people_delete(people=Person.objects.filter(pk__in=[two.pk, three.pk])) == 2

    assert [(args(c), c["deleted_person_ids"]) for _, c in announced] == [
        ((Person, frozenset(ids[:1]), "deletion"), frozenset(ids[:1])),
        ((Person, frozenset(ids[1:]), "deletion"), frozenset(ids[1:])),
    ]
    assert not Person.objects.exists()


def test_a_write_that_fails_announces_no_change(announced):
    leave = UnavailabilityFactory()

    with pytest.raises(Exception, match="ends_at must be after starts_at"):
        services.unavailability_update(unavailability=leave, data={"ends_at": leave.starts_at})

    assert announced == []


def test_a_refused_deletion_announces_no_change(announced, monkeypatch):
    person = PersonFactory()

    def refuse(*args, **kwargs):
        raise ProtectedError("still referred to", set())

    monkeypatch.setattr(Person, "delete", refuse)
    with pytest.raises(ProtectedError):
        services.person_delete(person=person)

    assert announced == []


def test_raw_writes_announce_nothing(announced):
    person = PersonFactory()
    person.is_active = False
    person.save()
    leave = Unavailability.objects.create(
        person=person, starts_at=START, ends_at=START + dt.timedelta(days=1)
    )
    leave.delete()
    Person.objects.all().delete()

    assert announced == []


def test_admin_writes_go_through_the_services(client, announced):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    ann, bob, cid = PersonFactory.create_batch(3)
    leave = UnavailabilityFactory(person=ann)
    row = {
        "person": ann.pk,
        "starts_at_0": "2026-03-02",
        "starts_at_1": "09:00:00",
        "ends_at_0": "2026-03-03",
        "ends_at_1": "09:00:00",
        "reason": "",
    }

    client.post("/admin/rota_core/unavailability/add/", row)
    client.post(f"/admin/rota_core/unavailability/{leave.pk}/change/", {**row, "person": bob.pk})
    client.post(f"/admin/rota_core/unavailability/{leave.pk}/delete/", {"post": "yes"})
    person_form = {
        "name": cid.name,
        "email": cid.email,
        "user": "",
        "timezone": "",
        "is_active": "on",
        "notify_email": "on",
        "unavailability-TOTAL_FORMS": "1",
        "unavailability-INITIAL_FORMS": "0",
        "unavailability-0-starts_at_0": "2026-03-02",
        "unavailability-0-starts_at_1": "09:00:00",
        "unavailability-0-ends_at_0": "2026-03-04",
        "unavailability-0-ends_at_1": "09:00:00",
    }
    client.post(f"/admin/rota_core/person/{cid.pk}/change/", person_form)
    client.post(
        "/admin/rota_core/person/",
        {"action": "delete_selected", "_selected_action": [ann.pk, bob.pk], "post": "yes"},
    )

    assert [args(changed) for _, changed in announced] == [
        (Unavailability, frozenset({ann.pk}), "leave"),
        (Unavailability, frozenset({ann.pk, bob.pk}), "leave"),
        (Unavailability, frozenset({bob.pk}), "leave"),
        (Unavailability, frozenset({cid.pk}), "leave"),  # the inline on the person's page
        (Person, frozenset({ann.pk, bob.pk}), "deletion"),
    ]
    assert set(Person.objects.values_list("pk", flat=True)) == {cid.pk}
    assert Unavailability.objects.get().person == cid
