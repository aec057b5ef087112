"""/calendar/{token}.ics: iCalendar feeds of a rota and of a person; rotating a token."""

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone
from icalendar import Calendar

from rota_core.models import Person
from rota_core.testing.factories import UserFactory
from rota_scheduling.models import Rota
from rota_scheduling.services import override_create, rotate_due
from rota_scheduling.testing.factories import RotaFactory

pytestmark = pytest.mark.django_db

WEEK = timedelta(weeks=1)
DAY = timedelta(days=1)
HOUR = timedelta(hours=1)


def anchor(ago: timedelta) -> datetime:
    return (timezone.now() - ago).astimezone(UTC).replace(second=0, microsecond=0)


def make_rota(people, *, name="Ops", first: datetime, created: datetime | None = None, **extra):
    return RotaFactory(
        name=name, members=people, starts_on=first.date(), handoff_time=first.time(),
        now=created, **extra,
    )  # fmt: skip


def feed(client, token):
    response = client.get(f"/calendar/{token}.ics")
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def events(calendar):
    """(uid, start, end, summary) of each VEVENT, in start order."""
    rows = [
        (
            str(event["UID"]),
            event.decoded("DTSTART"),
            event.decoded("DTEND"),
            str(event["SUMMARY"]),
        )
        for event in calendar.walk("VEVENT")
    ]
    return sorted(rows, key=lambda row: row[1])


@pytest.fixture
def anonymous(client_for):
    return client_for(None)


def test_a_rota_feed_is_valid_icalendar_with_one_event_per_turn(anonymous, people):
    b0 = anchor(WEEK + HOUR)
    rota = make_rota(people, first=b0)

    response = anonymous.get(f"/calendar/{rota.calendar_token}.ics")

    assert response.status_code == 200
    assert response.content.startswith(b"BEGIN:VCALENDAR\r\n")
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["VERSION"]) == "2.0"
    assert "Rota Round" in str(calendar["PRODID"])
    for event in calendar.walk("VEVENT"):
        assert {"UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY"} <= set(event)
        assert event.decoded("DTSTART").utcoffset() == timedelta(0)
    rows = events(calendar)
    # History starts with B's shift (stored at creation), then the projection 180 days on.
    assert rows[0][1:] == (b0 + WEEK, b0 + 2 * WEEK, "Ops: B on duty")
    assert [row[3] for row in rows[1:4]] == ["Ops: C on duty", "Ops: D on duty", "Ops: A on duty"]
    assert timezone.now() + timedelta(days=173) <= rows[-1][1] < timezone.now() + timedelta(180)
    assert len({row[0] for row in rows}) == len(rows)


def test_events_keep_their_uids_and_real_times_across_fetches_and_the_sweep(anonymous, people):
    """A calendar client replaces events by UID: a UID that changes between fetches shows
    the turn twice, or loses edits; so do times cut at the edge of the feed's window."""
    b0 = anchor(10 * WEEK + 3 * HOUR)
    rota = make_rota(people, first=b0, created=b0 + HOUR)  # the sweep never ran since

    before = events(feed(anonymous, rota.calendar_token))
    rotate_due()  # stores the nine missed handoffs
    after = events(feed(anonymous, rota.calendar_token))

    assert before == after
    first_start, first_end = before[0][1], before[0][2]
    assert first_start <= timezone.now() - timedelta(days=30) < first_end
    assert (first_start - b0) % WEEK == timedelta(0)  # a real handoff, not the window's edge
    assert (before[-1][2] - b0) % WEEK == timedelta(0)


def test_an_override_shows_as_its_own_event(anonymous, people):
    b0 = anchor(WEEK + HOUR)
    rota = make_rota(people, first=b0)
    start = anchor(-DAY)
    override_create(rota=rota, person=people[0], starts_at=start, ends_at=start + DAY)

    rows = events(feed(anonymous, rota.calendar_token))

    assert [(row[1], row[2], row[3]) for row in rows[:3]] == [
        (b0 + WEEK, start, "Ops: B on duty"),
        (start, start + DAY, "Ops: A on duty (override)"),
        (start + DAY, b0 + 2 * WEEK, "Ops: B on duty"),
    ]


def test_a_person_feed_has_only_their_own_turns_over_the_past_30_and_next_180_days(
    anonymous, people
):
    a, b, c, d = people
    ops = make_rota([a, b], first=anchor(WEEK + HOUR))  # B now, then A, B, ...
    desk_first = anchor(2 * DAY)
    desk = make_rota([c, a], name="Desk", first=desk_first, cadence="daily")
    soon = anchor(-2 * DAY)
    override_create(rota=ops, person=a, starts_at=soon, ends_at=soon + HOUR)  # A covers B
    later = anchor(-WEEK - DAY)
    override_create(rota=ops, person=d, starts_at=later, ends_at=later + HOUR)  # D covers A

    rows = events(feed(anonymous, a.calendar_token))

    summaries = {row[3] for row in rows}
    assert summaries == {"Ops: A on duty", "Ops: A on duty (override)", "Desk: A on duty"}
    assert (soon, soon + HOUR) in {(row[1], row[2]) for row in rows}
    assert not any(row[1] < later + HOUR and later < row[2] for row in rows)  # D's hour
    now = timezone.now()
    assert all(row[2] > now - timedelta(days=30) and row[1] < now + timedelta(180) for row in rows)
    assert rows[-1][1] > now + timedelta(days=170)
    # Desk's first handoff was two days ago, but it only starts now (C): A's turn is next.
    desk_rows = [row for row in rows if row[3].startswith("Desk")]
    assert desk_rows[0][1] == desk_first + 3 * DAY
    assert feed(anonymous, b.calendar_token) is not None
    assert not any("A on duty" in row[3] for row in events(feed(anonymous, b.calendar_token)))
    assert desk.calendar_token != a.calendar_token


def test_a_feed_answers_head_and_refuses_writes(anonymous, people):
    rota = make_rota(people, first=anchor(WEEK))

    assert anonymous.head(f"/calendar/{rota.calendar_token}.ics").status_code == 200
    assert anonymous.post(f"/calendar/{rota.calendar_token}.ics").status_code == 405


def test_names_with_line_breaks_stored_before_they_were_refused_are_escaped(anonymous, people):
    a = people[0]
    rota = make_rota(people, first=anchor(WEEK + HOUR))
    Rota.objects.filter(pk=rota.pk).update(name="Ops\r\nX-INJECTED:rota")
    Person.objects.filter(pk=a.pk).update(name="A\nX-INJECTED:person")

    for token, calname in [
        (rota.calendar_token, b"X-WR-CALNAME:Ops\\nX-INJECTED:rota rota\r\n"),
        (a.calendar_token, b"X-WR-CALNAME:A\\nX-INJECTED:person on duty\r\n"),
    ]:
        response = anonymous.get(f"/calendar/{token}.ics")
        assert response.status_code == 200
        assert calname in response.content
        assert b"\nX-INJECTED" not in response.content  # no line of its own
        calendar = Calendar.from_ical(response.content)
        assert "X-INJECTED" not in calendar
        summaries = {row[3] for row in events(calendar)}
        assert "Ops\nX-INJECTED:rota: A\nX-INJECTED:person on duty" in summaries


@pytest.mark.parametrize("token", ["unknown", "a" * 43, "../../etc/passwd"])
def test_unknown_tokens_answer_404(anonymous, token):
    assert anonymous.get(f"/calendar/{token}.ics").status_code == 404


# --- people/{id}/calendar-token/ -----------------------------------------------------------


def token_url(person):
    return f"/api/v1/people/{person.pk}/calendar-token/"


def test_a_person_rotates_their_own_token_and_the_old_link_stops_working(
    client_for, anonymous, people
):
    a = people[0]
    a.user = UserFactory(username="a")  # no model permissions at all
    a.save()
    old = a.calendar_token
    make_rota(people, first=anchor(WEEK))

    response = client_for(a.user).post(token_url(a))

    assert response.status_code == 201
    new = response.json()["calendar_token"]
    assert new != old
    assert response.json()["calendar_url"] == f"http://testserver/calendar/{new}.ics"
    assert anonymous.get(f"/calendar/{old}.ics").status_code == 404
    assert events(feed(anonymous, new))


def test_rotating_someone_elses_token_needs_the_change_person_permission(
    client_for, reader, people
):
    b = people[1]
    old = b.calendar_token

    refused = client_for(reader).post(token_url(b))
    reader.user_permissions.add(Permission.objects.get(codename="change_person"))
    allowed = client_for(reader).post(token_url(b))

    assert refused.status_code == 403
    assert allowed.status_code == 201
    b.refresh_from_db()
    assert b.calendar_token == allowed.json()["calendar_token"] != old


def test_rotating_a_token_needs_a_session_and_the_csrf_token(client_for, csrf_client, people):
    a = people[0]
    a.user = UserFactory(username="a")
    a.save()
    csrf_client.force_login(a.user)

    assert client_for(None).post(token_url(a)).status_code == 403
    assert csrf_client.post(token_url(a)).status_code == 403
    assert client_for(a.user).post("/api/v1/people/999999/calendar-token/").status_code == 404
    assert client_for(a.user).get(token_url(a)).status_code == 405
    a.refresh_from_db()
    assert a.calendar_token == people[0].calendar_token


def test_a_rotas_calendar_url_in_the_api_matches_its_feed(staff_client, anonymous, people):
    rota = make_rota(people, first=anchor(WEEK))

    url = staff_client.get(f"/api/v1/rotas/{rota.pk}/").json()["calendar_url"]

    assert url == f"http://testserver/calendar/{rota.calendar_token}.ics"
    assert anonymous.get(url).status_code == 200
