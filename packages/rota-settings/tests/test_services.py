import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import timezone

from rota_settings.models import SystemSettings
from rota_settings.selectors import get_system_timezone
from rota_settings.services import system_settings_update
from rota_settings.signals import system_timezone_changed

pytestmark = pytest.mark.django_db


def test_update_saves_the_zone_and_returns_the_row():
    before = timezone.now()

    row = system_settings_update(timezone="Europe/Paris")

    assert row.timezone == "Europe/Paris"
    assert row.updated_at >= before
    assert SystemSettings.objects.get().timezone == "Europe/Paris"


def test_update_works_without_the_row():
    SystemSettings.objects.all().delete()

    system_settings_update(timezone="Europe/Paris")

    assert list(SystemSettings.objects.values_list("pk", "timezone")) == [(1, "Europe/Paris")]


def test_unknown_zone_is_refused_and_nothing_changes(timezone_changes):
    with pytest.raises(ValidationError, match='Unknown time zone "Mars/Olympus"'):
        system_settings_update(timezone="Mars/Olympus")

    assert SystemSettings.load().timezone == "UTC"
    assert timezone_changes == []


def test_a_change_sends_the_signal_once_with_old_and_new(timezone_changes):
    system_settings_update(timezone="Europe/Paris")
    system_settings_update(timezone="Asia/Tokyo")

    assert timezone_changes == [("UTC", "Europe/Paris"), ("Europe/Paris", "Asia/Tokyo")]


def test_saving_the_same_zone_sends_nothing_and_writes_nothing(timezone_changes):
    first = system_settings_update(timezone="Europe/Paris")

    again = system_settings_update(timezone="Europe/Paris")

    assert timezone_changes == [("UTC", "Europe/Paris")]
    assert again.updated_at == first.updated_at


def test_the_signal_is_sent_with_the_model_as_sender_after_the_row_is_written():
    seen = []

    def receiver(sender, **kwargs):
        seen.append((sender, SystemSettings.objects.get().timezone))

    system_timezone_changed.connect(receiver)
    try:
        system_settings_update(timezone="Europe/Paris")
    finally:
        system_timezone_changed.disconnect(receiver)

    assert seen == [(SystemSettings, "Europe/Paris")]


def test_a_receiver_raising_rolls_the_change_back():
    def reads_the_new_zone(**kwargs):
        get_system_timezone()  # caches the new zone, then the change is rolled back

    def fails(**kwargs):
        raise RuntimeError("cannot recompute")

    system_timezone_changed.connect(reads_the_new_zone)
    system_timezone_changed.connect(fails)
    try:
        with pytest.raises(RuntimeError, match="cannot recompute"):
            system_settings_update(timezone="Europe/Paris")
    finally:
        system_timezone_changed.disconnect(reads_the_new_zone)
        system_timezone_changed.disconnect(fails)

    assert SystemSettings.load().timezone == "UTC"
    assert str(get_system_timezone()) == "UTC"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_changes_are_serialised_by_the_row_lock():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers itself")
    SystemSettings.load()
    first_locked = threading.Event()
    seen = []

    def slow_receiver(*, old, new, **kwargs):
        seen.append((old, new))
        if new == "Europe/Paris":
            first_locked.set()
            time.sleep(0.3)  # hold the row lock while the other update waits for it

    def update(zone):
        try:
            system_settings_update(timezone=zone)
        finally:
            connections.close_all()

    system_timezone_changed.connect(slow_receiver)
    try:
        paris = threading.Thread(target=update, args=["Europe/Paris"])
        paris.start()
        assert first_locked.wait(5)
        tokyo = threading.Thread(target=update, args=["Asia/Tokyo"])
        tokyo.start()
        paris.join(5)
        tokyo.join(5)
    finally:
        system_timezone_changed.disconnect(slow_receiver)

    assert seen == [("UTC", "Europe/Paris"), ("Europe/Paris", "Asia/Tokyo")]
    assert SystemSettings.load().timezone == "Asia/Tokyo"
