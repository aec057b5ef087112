"""The admin: rotas with members inline, who is on duty, "advance now", the schedule preview
(in the rota's zone, over a chosen window), weekdays as checkboxes, and writes that go through
the services (a rota starts; overrides are validated)."""

from datetime import UTC, datetime, time, timedelta

import pytest
from django.utils import timezone

from rota_core.testing.factories import PersonFactory
from rota_scheduling.models import Membership, Override, Rota, Shift
from rota_scheduling.services import override_create, rota_create

pytestmark = pytest.mark.django_db

WEEK = timedelta(weeks=1)
HOUR = timedelta(hours=1)
ROTAS = "/admin/rota_scheduling/rota/"
OVERRIDES = "/admin/rota_scheduling/override/"


def anchor(ago: timedelta) -> datetime:
    return (timezone.now() - ago).astimezone(UTC).replace(second=0, microsecond=0)


@pytest.fixture
def rota(people):
    """Weekly A B C D in its second week: B on duty, C next."""
    b0 = anchor(WEEK + HOUR)
    return rota_create(
        fields={
            "name": "Ops",
            "cadence": "weekly",
            "timezone": "UTC",
            "starts_on": b0.date(),
            "handoff_time": b0.time(),
        },
        members=[p.pk for p in people],
    )


def rota_form(people, **extra) -> dict:
    """The admin add form for a weekly rota whose first handoff was a week ago."""
    b0 = anchor(WEEK + HOUR)
    form = {
        "name": "Desk",
        "slug": "desk",
        "description": "",
        "is_active": "on",
        "timezone": "UTC",
        "cadence": "weekly",
        "interval": "1",
        "starts_on": b0.date().isoformat(),
        "handoff_time": b0.strftime("%H:%M"),
        "weekdays": ["0", "1", "2", "3", "4", "5", "6"],
        "skip_policy": "defer",
        "reminder_minutes": "1440",
        "memberships-TOTAL_FORMS": str(len(people)),
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    for i, person in enumerate(people):
        form[f"memberships-{i}-person"] = str(person.pk)
        form[f"memberships-{i}-position"] = str(i)
    form.update(extra)
    return form


def override_form(rota, person, start: datetime, end: datetime) -> dict:
    return {
        "rota": str(rota.pk),
        "person": str(person.pk),
        "starts_at_0": start.strftime("%Y-%m-%d"),
        "starts_at_1": start.strftime("%H:%M:%S"),
        "ends_at_0": end.strftime("%Y-%m-%d"),
        "ends_at_1": end.strftime("%H:%M:%S"),
        "reason": "swap",
    }


# --- rotas ---------------------------------------------------------------------------------


def test_the_rota_changelist_shows_who_is_on_duty(admin_client, rota):
    response = admin_client.get(ROTAS)

    assert response.status_code == 200
    row = response.content.decode()
    assert "Ops" in row
    assert '<td class="field-on_duty">B</td>' in row


def test_the_change_page_shows_members_now_next_and_the_schedule_preview(admin_client, rota):
    response = admin_client.get(f"{ROTAS}{rota.pk}/change/")

    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="memberships-TOTAL_FORMS" value="5"' in page  # four members and a blank
    for person in rota.members.all():
        assert f'<option value="{person.pk}" selected>{person.name}</option>' in page
    assert '<div class="readonly">B</div>' in page
    assert '<div class="readonly">C from ' in page
    preview = page.split('class="schedule-preview"')[1].split("</table>")[0]
    # Eight weeks ahead: the rest of B's week, then nine more turns at most.
    assert 8 <= preview.count("<tr><td>") <= 10
    assert "<td>C</td><td>rotation</td>" in preview


def daily_in_tokyo(people) -> Rota:
    """A daily rota handing over at 09:00 Tokyo time (00:00 UTC), starting next week."""
    starts_on = timezone.now().date() + timedelta(days=7)
    return rota_create(
        fields={"name": "Tokyo desk", "cadence": "daily", "timezone": "Asia/Tokyo",
                "starts_on": starts_on, "handoff_time": time(9, 0)},
        members=[p.pk for p in people],
    )  # fmt: skip


def preview_rows(page: str) -> list[list[str]]:
    table = page.split('class="schedule-preview"')[1].split("</tbody>")[0].split("<tbody>")[1]
    return [
        [cell.split("</td>")[0] for cell in row.split("<td>")[1:]]
        for row in table.split("<tr>")[1:]
    ]


def test_the_schedule_preview_is_in_the_rotas_zone_over_the_chosen_window(admin_client, people):
    rota = daily_in_tokyo(people)
    first = rota.starts_on

    response = admin_client.get(
        f"{ROTAS}{rota.pk}/change/?preview_from={first.isoformat()}&preview_weeks=1"
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-zone="Asia/Tokyo"' in page
    rows = preview_rows(page)
    # Midnight to 09:00 Tokyo time on the first day nobody is on duty, then seven turns of a
    # day each, handing over at 09:00 Tokyo time (00:00 UTC), the last cut at the window's end.
    assert len(rows) == 8
    day = f"{first:%a} {first.day} {first:%b %Y}"
    assert rows[0][:3] == [f"{day} 00:00", f"{day} 09:00 JST", "nobody"]
    assert [row[2] for row in rows[1:5]] == ["A", "B", "C", "D"]
    assert all(row[0].endswith("09:00") for row in rows[1:])
    # The window's inputs show what was asked, and belong to the preview's GET form.
    assert f'value="{first.isoformat()}"' in page and 'form="schedule-preview-window"' in page

    two_weeks = admin_client.get(
        f"{ROTAS}{rota.pk}/change/?preview_from={first.isoformat()}&preview_weeks=2"
    )
    assert len(preview_rows(two_weeks.content.decode())) == 15


def test_a_bad_preview_window_is_named_and_the_default_window_shown(admin_client, people):
    rota = daily_in_tokyo(people)

    response = admin_client.get(f"{ROTAS}{rota.pk}/change/?preview_weeks=many&preview_from=x")

    assert response.status_code == 200
    form = response.context["preview_window"]
    assert set(form.errors) == {"preview_weeks", "preview_from"}
    assert "Enter a whole number." in response.content.decode()
    rows = preview_rows(response.content.decode())
    # Eight weeks from now: nobody until the rota starts next week, then 49 or 50 daily turns
    # (depending on the time of day now).
    assert rows[0][2] == "nobody"
    assert 49 <= len(rows) - 1 <= 50


def test_weekdays_are_checkboxes_and_save_as_a_list(admin_client, people):
    b0 = anchor(WEEK + HOUR)
    monday = b0.date() - timedelta(days=b0.date().weekday())

    page = admin_client.get(f"{ROTAS}add/").content.decode()
    assert page.count('type="checkbox" name="weekdays"') == 7
    assert '<textarea name="weekdays"' not in page

    form = rota_form(people, cadence="daily", starts_on=monday.isoformat(),
                     weekdays=["0", "2", "4"])  # fmt: skip
    response = admin_client.post(f"{ROTAS}add/", form)

    assert response.status_code == 302, response.context["adminform"].form.errors
    rota = Rota.objects.get(name="Desk")
    assert rota.weekdays == [0, 2, 4]
    page = admin_client.get(f"{ROTAS}{rota.pk}/change/").content.decode()
    checked = [v for v in "0123456" if f'value="{v}" id="id_weekdays_{v}" checked' in page]
    assert checked == ["0", "2", "4"]


def test_the_add_page_renders(admin_client, people):
    assert admin_client.get(f"{ROTAS}add/").status_code == 200


def test_creating_a_rota_with_members_in_the_admin_starts_it(admin_client, people, signals):
    a, b, c, _ = people

    response = admin_client.post(f"{ROTAS}add/", rota_form([c, a, b]))

    assert response.status_code == 302, response.context["adminform"].form.errors
    rota = Rota.objects.get(name="Desk")
    assert list(rota.memberships.values_list("person", flat=True)) == [c.pk, a.pk, b.pk]
    assert rota.current_shift.person == a  # k = 1 in its second week
    assert rota.next_handoff_at > timezone.now()
    assert [sent["person"] for sent in signals.shift_started] == [a]
    assert signals.schedule_changed == []  # a new rota changes nobody's existing turns


def test_a_person_listed_twice_in_the_admin_is_a_form_error(admin_client, people):
    response = admin_client.post(f"{ROTAS}add/", rota_form([people[0], people[0]]))

    assert response.status_code == 200
    assert not Rota.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"cadence": "daily", "weekdays": ["0"]}, "starts_on"),  # starts_on not a Monday
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"weekdays": ["7"]}, "weekdays"),
        ({"cadence": "daily", "weekdays": []}, "weekdays"),
        ({"interval": "0"}, "interval"),
        ({"name": "ops"}, "name"),
    ],
)
def test_a_bad_rota_in_the_admin_is_a_form_error(admin_client, rota, people, change, field):
    form = rota_form(people, starts_on="2026-01-06", **change)  # a Tuesday

    response = admin_client.post(f"{ROTAS}add/", form)

    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    assert Rota.objects.count() == 1


def test_an_inactive_member_in_the_admin_is_a_form_error(admin_client, people):
    gone = PersonFactory(name="Gone", is_active=False)

    response = admin_client.post(f"{ROTAS}add/", rota_form([people[0], gone]))

    assert response.status_code == 200
    assert "not active" in response.content.decode()
    assert not Rota.objects.exists()


def test_editing_members_in_the_admin_changes_who_is_next(admin_client, rota, people, signals):
    a, b, c, d = people
    form = rota_form([], name="Ops", slug="ops", starts_on=rota.starts_on.isoformat(),
                     handoff_time=rota.handoff_time.strftime("%H:%M"))  # fmt: skip
    memberships = list(rota.memberships.order_by("position"))
    form.update({"memberships-TOTAL_FORMS": "4", "memberships-INITIAL_FORMS": "4"})
    order = {a: 0, b: 1, c: 3, d: 2}  # swap C and D
    for i, membership in enumerate(memberships):
        form[f"memberships-{i}-id"] = str(membership.pk)
        form[f"memberships-{i}-rota"] = str(rota.pk)
        form[f"memberships-{i}-person"] = str(membership.person_id)
        form[f"memberships-{i}-position"] = str(order[membership.person])

    response = admin_client.post(f"{ROTAS}{rota.pk}/change/", form)

    assert response.status_code == 302, response.context["adminform"].form.errors
    page = admin_client.get(f"{ROTAS}{rota.pk}/change/").content.decode()
    assert '<div class="readonly">D from ' in page
    rota.refresh_from_db()
    assert rota.current_shift.person == b
    assert [sent["cause"] for sent in signals.schedule_changed] == ["members"]
    assert set(signals.schedule_changed[0]["changes"]) == {c.pk, d.pk}


def test_the_advance_now_action_hands_over(admin_client, rota, people):
    response = admin_client.post(
        ROTAS, {"action": "advance_now", "_selected_action": [str(rota.pk)]}, follow=True
    )

    assert response.status_code == 200
    assert "Advanced 1 rota" in response.content.decode()
    rota.refresh_from_db()
    assert rota.current_shift.person == people[2]
    assert rota.current_shift.source == "manual"


def test_the_rotate_calendar_tokens_action_retires_the_old_feed_url(admin_client, rota):
    old_feed = f"/calendar/{rota.calendar_token}.ics"

    response = admin_client.post(
        ROTAS, {"action": "rotate_calendar_tokens", "_selected_action": [str(rota.pk)]}
    )

    assert response.status_code == 302
    assert admin_client.get(old_feed).status_code == 404
    rota.refresh_from_db()
    assert admin_client.get(f"/calendar/{rota.calendar_token}.ics").status_code == 200


def test_advancing_a_paused_rota_is_reported_not_raised(admin_client, people):
    paused = rota_create(
        fields={"name": "Paused", "cadence": "weekly", "starts_on": anchor(WEEK).date(),
                "is_active": False},
        members=[people[0].pk],
    )  # fmt: skip

    response = admin_client.post(
        ROTAS, {"action": "advance_now", "_selected_action": [str(paused.pk)]}, follow=True
    )

    assert response.status_code == 200
    assert "paused" in response.content.decode()


# --- shifts and overrides ------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    ["", "?source__exact=rotation", "?conflict__exact=1", "?rota__id__exact={rota}", "?q=Ops"],
)
def test_the_shift_changelist_renders_with_filters(admin_client, rota, query):
    response = admin_client.get(f"/admin/rota_scheduling/shift/{query.format(rota=rota.pk)}")

    assert response.status_code == 200
    expected = 0 if "conflict" in query else 1
    assert response.context["cl"].result_count == expected


def test_shifts_cannot_be_added_or_changed_by_hand(admin_client, rota):
    shift = Shift.objects.get()

    assert admin_client.get("/admin/rota_scheduling/shift/add/").status_code == 403
    view = admin_client.get(f"/admin/rota_scheduling/shift/{shift.pk}/change/")
    assert view.status_code == 200  # read only
    assert b'name="_save"' not in view.content


def test_the_override_changelist_renders_with_filters(admin_client, rota, people):
    start = anchor(-HOUR)
    override_create(rota=rota, person=people[0], starts_at=start, ends_at=start + HOUR)

    for query in ("", f"?rota__id__exact={rota.pk}", "?q=swap"):
        response = admin_client.get(f"{OVERRIDES}{query}")
        assert response.status_code == 200
    assert admin_client.get(f"{OVERRIDES}add/").status_code == 200


def test_creating_an_override_in_the_admin_goes_through_the_service(admin_client, rota, people):
    start = anchor(HOUR)  # in force already: the service announces it

    response = admin_client.post(
        f"{OVERRIDES}add/", override_form(rota, people[0], start, start + 3 * HOUR)
    )

    assert response.status_code == 302
    override = Override.objects.get()
    assert (override.starts_at, override.ends_at, override.person) == (
        start,
        start + 3 * HOUR,
        people[0],
    )
    assert override.created_by is not None
    assert override.started_notified_at is not None


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (HOUR, 2 * HOUR, "Overlaps override"),  # clashes with the one made below
        (-3 * HOUR, -2 * HOUR, "cannot end in the past"),
        (2 * HOUR, HOUR, "must be after"),
    ],
)
def test_an_invalid_override_in_the_admin_is_a_form_error(
    admin_client, rota, people, start, end, message
):
    base = anchor(0 * HOUR)
    override_create(rota=rota, person=people[3], starts_at=base + HOUR, ends_at=base + 3 * HOUR)
    form = override_form(rota, people[0], base + start, base + end)

    response = admin_client.post(f"{OVERRIDES}add/", form)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert Override.objects.count() == 1


def test_deleting_an_override_in_the_admin(admin_client, rota, people, signals):
    start = anchor(-HOUR)
    override = override_create(rota=rota, person=people[0], starts_at=start, ends_at=start + HOUR)
    signals.clear()

    response = admin_client.post(f"{OVERRIDES}{override.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert not Override.objects.exists()
    assert [s["cause"] for s in signals.schedule_changed] == ["override"]


def test_deleting_a_rota_in_the_admin(admin_client, rota):
    response = admin_client.post(f"{ROTAS}{rota.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert not Rota.objects.exists()
    assert not Membership.objects.exists()
