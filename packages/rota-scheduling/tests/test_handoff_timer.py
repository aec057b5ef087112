from datetime import UTC, datetime, time, timedelta

import pytest

from rota_scheduling.handoff_timer import arm_on_commit, upcoming_instants
from rota_scheduling.models import Rota

pytestmark = pytest.mark.django_db


def test_each_distinct_handoff_instant_before_the_next_beat_run_is_armed_once(make_rota, people):
    now = datetime(2027, 3, 1, 8, 59, 30, tzinfo=UTC)
    for name in ("one", "two", "three"):
        make_rota(people, name=name, cadence="daily", now=now)  # all hand over at 09:00
    make_rota(people, name="later", cadence="daily", handoff_time=time(9, 5), now=now)
    assert upcoming_instants(now=now) == [datetime(2027, 3, 1, 9, tzinfo=UTC)]
    assert upcoming_instants(now=now + timedelta(minutes=5)) == [
        datetime(2027, 3, 1, 9, 5, tzinfo=UTC)
    ]


def test_a_paused_rota_is_never_armed(make_rota, people):
    now = datetime(2027, 3, 1, 8, 59, 30, tzinfo=UTC)
    make_rota(people, cadence="daily", now=now)
    Rota.objects.update(is_active=False)
    assert upcoming_instants(now=now) == []


def test_a_handoff_far_ahead_is_left_to_beat(django_capture_on_commit_callbacks, settings):
    settings.ROTA_SCHEDULING_ARM_HORIZON_SECONDS = 75
    with django_capture_on_commit_callbacks() as callbacks:
        arm_on_commit(datetime.now(UTC) + timedelta(hours=1))
        arm_on_commit(None)
    assert callbacks == []
    with django_capture_on_commit_callbacks() as callbacks:
        arm_on_commit(datetime.now(UTC) + timedelta(seconds=30))
    assert len(callbacks) == 1


def test_system_checks_refuse_bad_settings(settings):
    from rota_scheduling.checks import check_settings

    assert check_settings() == []
    settings.ROTA_SCHEDULING_SWEEP_BATCH_SIZE = 0
    settings.USE_TZ = False
    assert {e.id for e in check_settings()} == {"rota_scheduling.E001", "rota_scheduling.E002"}
