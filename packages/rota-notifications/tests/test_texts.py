from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from rota_core.testing.factories import PersonFactory
from rota_notifications import texts

BERLIN = ZoneInfo("Europe/Berlin")


def utc(*args):
    return datetime(*args, tzinfo=UTC)


def test_span_names_local_times_and_the_zone_abbreviation():
    assert texts.span(utc(2026, 3, 3, 8), utc(2026, 3, 4, 8), BERLIN) == (
        "Tue 3 Mar 09:00–Wed 4 Mar 09:00 CET"
    )


def test_span_across_a_clock_change_names_both_abbreviations():
    # Europe/Berlin springs forward on 29 March 2026.
    assert texts.span(utc(2026, 3, 28, 8), utc(2026, 3, 30, 7), BERLIN) == (
        "Sat 28 Mar 09:00 CET–Mon 30 Mar 09:00 CEST"
    )


def test_change_sentence_says_what_moved():
    tz = ZoneInfo("Europe/London")
    before = [(utc(2026, 3, 5, 9), utc(2026, 3, 6, 9))]
    after = [(utc(2026, 3, 3, 9), utc(2026, 3, 4, 9))]
    assert texts.change_sentence(before, after, tz) == (
        "You now cover Tue 3 Mar 09:00–Wed 4 Mar 09:00 GMT "
        "instead of Thu 5 Mar 09:00–Fri 6 Mar 09:00 GMT."
    )
    assert texts.change_sentence(before, [], tz).startswith("You no longer cover Thu 5 Mar")
    assert texts.change_sentence([], after, tz).startswith("You now cover Tue 3 Mar")


@pytest.mark.django_db
def test_recipient_zone_prefers_person_then_rota_then_system():
    from rota_settings.services import system_settings_update

    system_settings_update(timezone="Asia/Tokyo")

    class Rota:
        timezone = "America/New_York"

    assert texts.recipient_zone(person=PersonFactory(timezone="Asia/Kolkata"), rota=Rota).key == (
        "Asia/Kolkata"
    )
    assert texts.recipient_zone(person=PersonFactory(), rota=Rota).key == "America/New_York"
    Rota.timezone = None
    assert texts.recipient_zone(person=PersonFactory(), rota=Rota).key == "Asia/Tokyo"
