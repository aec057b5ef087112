"""schedule_changed: who holds which turns in the next 14 days, before and after an edit."""

from datetime import UTC, datetime, time, timedelta

from rota_scheduling.services import (
    override_create,
    override_delete,
    rota_advance,
    rota_update,
)


def at(day: int, hour: int = 9) -> datetime:
    return datetime(2027, 3, day, hour, 0, tzinfo=UTC)


def test_reordering_members_tells_each_person_whose_turns_moved(make_rota, people, signals):
    a, b, c, d = people
    rota = make_rota(people, now=at(1))
    now = at(2, 12)

    rota_update(rota=rota, fields={}, members=[a.pk, c.pk, b.pk, d.pk], now=now)

    [sent] = signals.schedule_changed
    assert sent["cause"] == "members"
    assert sent["window"] == (now, now + timedelta(days=14))
    assert sent["changes"] == {
        b.pk: {"before": [(at(8), at(15))], "after": [(at(15), at(16, 12))]},
        c.pk: {"before": [(at(15), at(16, 12))], "after": [(at(8), at(15))]},
    }


def test_advance_sends_the_changes(make_rota, people, signals):
    a, b, c, d = people
    rota = make_rota(people, now=at(1))
    now = at(3, 15)

    rota_advance(rota=rota, now=now)

    [sent] = signals.schedule_changed
    assert sent["cause"] == "advance"
    assert sent["changes"] == {
        a.pk: {"before": [(now, at(8))], "after": []},
        b.pk: {"before": [(at(8), at(15))], "after": [(now, at(8))]},
        c.pk: {"before": [(at(15), at(17, 15))], "after": [(at(8), at(15))]},
        d.pk: {"before": [], "after": [(at(15), at(17, 15))]},
    }


def test_an_override_and_its_deletion_send_the_changes(make_rota, people, signals):
    a, _b, _c, d = people
    rota = make_rota(people, now=at(1))
    now = at(1, 12)

    override = override_create(rota=rota, person=d, starts_at=at(2), ends_at=at(3), now=now)
    override_delete(override=override, now=now)

    created, deleted = signals.schedule_changed
    assert (created["cause"], deleted["cause"]) == ("override", "override")
    assert created["changes"] == {
        a.pk: {"before": [(now, at(8))], "after": [(now, at(2)), (at(3), at(8))]},
        d.pk: {"before": [], "after": [(at(2), at(3))]},
    }
    assert deleted["changes"] == {
        a.pk: {"before": [(now, at(2)), (at(3), at(8))], "after": [(now, at(8))]},
        d.pk: {"before": [(at(2), at(3))], "after": []},
    }


def test_a_definition_edit_sends_the_changes(make_rota, people, signals):
    a, b, c, _d = people
    rota = make_rota(people, now=at(1))
    now = at(2, 12)

    rota_update(rota=rota, fields={"handoff_time": time(18, 0)}, now=now)

    [sent] = signals.schedule_changed
    assert sent["cause"] == "definition"
    assert sent["changes"][a.pk] == {"before": [(now, at(8))], "after": [(now, at(8, 18))]}
    assert set(sent["changes"]) == {a.pk, b.pk, c.pk}


def test_a_no_op_edit_sends_nothing(make_rota, people, signals):
    rota = make_rota(people, now=at(1))

    rota_update(rota=rota, fields={"description": "Ops on call"}, now=at(2))
    rota_update(rota=rota, fields={"cadence": "weekly", "interval": 1}, now=at(2))
    rota_update(rota=rota, fields={}, members=[p.pk for p in people], now=at(2))

    assert signals.schedule_changed == []


def test_a_change_beyond_the_next_14_days_sends_nothing(make_rota, people, signals):
    rota = make_rota(people, now=at(1))

    override_create(rota=rota, person=people[3], starts_at=at(20), ends_at=at(21), now=at(1, 12))

    assert signals.schedule_changed == []


def test_pausing_sends_the_changes(make_rota, people, signals):
    a, b, c, _d = people
    rota = make_rota(people, now=at(1))
    now = at(2, 12)

    rota_update(rota=rota, fields={"is_active": False}, now=now)

    [sent] = signals.schedule_changed
    assert sent["cause"] == "activation"
    assert sent["changes"][a.pk] == {"before": [(now, at(8))], "after": [(now, at(16, 12))]}
    assert set(sent["changes"]) == {a.pk, b.pk, c.pk}
