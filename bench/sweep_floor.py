"""The sweep's floor: the rows ``rota rotate`` writes for the seeded due rotas, written by
hand-written SQL in one transaction (psycopg on PostgreSQL, sqlite3 on SQLite).

It does what any implementation must: read the due rotas (locked), their members and webhook
subscriptions, compute each rota's next shift (the next day at the handoff time, the next
member in order), then write the shifts, the rotas' new state, one in-app notification per
rota and its email and webhook deliveries, with multi-row statements. It skips what the seeded
data cannot need (availability, overrides, owed turns, catch-up of several boundaries), so it
is only valid for that data: the benchmark checks it wrote the same rows as the sweep.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from time import perf_counter
from zoneinfo import ZoneInfo

ROTA = "rota_scheduling_rota"
MEMBERSHIP = "rota_scheduling_membership"
SHIFT = "rota_scheduling_shift"
PERSON = "rota_core_person"
SUBSCRIPTION = "rota_notifications_webhooksubscription"
NOTIFICATION = "rota_notifications_notification"
DELIVERY = "rota_notifications_delivery"
KIND = "shift_started"


@dataclass
class Planned:
    rota_id: int
    name: str
    slug: str
    zone: ZoneInfo
    k: int
    start: datetime
    end: datetime
    person: tuple  # (id, name, email, notify_email)
    position: int
    remind_at: datetime | None
    reminded_for: datetime | None
    shift_id: int | None = None


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _span(start: datetime, end: datetime, tz: ZoneInfo) -> str:
    a, b = start.astimezone(tz), end.astimezone(tz)
    first = f"{a:%a} {a.day} {a:%b %H:%M}"
    if a.tzname() != b.tzname():
        first += f" {a.tzname()}"
    return f"{first}–{b:%a} {b.day} {b:%b %H:%M} {b.tzname()}"


def _texts(p: Planned) -> tuple[str, str, str, dict]:
    person_id, name = p.person[0], p.person[1]
    key = f"{KIND}:{p.shift_id}"
    title = f"You are on duty for {p.name}"
    body = f"{name} is on duty for {p.name}: {_span(p.start, p.end, p.zone)}."
    payload = {
        "event": KIND,
        "id": key,
        "rota": {"id": p.rota_id, "name": p.name, "slug": p.slug},
        "person": {"id": person_id, "name": name},
        "title": title,
        "text": body,
        "starts_at": _iso(p.start),
        "ends_at": _iso(p.end),
        "shift_id": p.shift_id,
    }
    return f"{key}:p{person_id}", title, body, payload


def _plan(rotas, members, zones) -> list[Planned]:
    planned = []
    for row in rotas:
        (rota_id, name, slug, zone, starts_on, handoff, interval, k, start, cycle_index,
         reminder, reminded_for) = row  # fmt: skip
        tz = zones.setdefault(zone, ZoneInfo(zone))
        day = starts_on + timedelta(days=(k + 1) * interval)
        end = datetime.combine(day, handoff, tzinfo=tz).astimezone(UTC)
        order = members[rota_id]
        position = (cycle_index + 1) % len(order)
        remind = None if reminder is None else end - timedelta(minutes=reminder)
        planned.append(
            Planned(rota_id, name, slug, tz, k, start, end, order[position], position, remind,
                    reminded_for)
        )  # fmt: skip
    return planned


def _deliveries(planned: list[Planned], notification_ids: dict[str, int], hooks) -> list[tuple]:
    rows = []
    for p in planned:
        dedup = f"{KIND}:{p.shift_id}:p{p.person[0]}"
        notification = notification_ids[dedup]
        _, _, email, notify_email = p.person
        if email and notify_email:
            rows.append((notification, "email", email, None, f"{dedup}:email"))
        for hook_id, url in hooks[p.rota_id]:
            rows.append((notification, "webhook", url, hook_id, f"{dedup}:webhook{hook_id}"))
    return rows


def _subscribed(rows) -> dict[int, list]:
    hooks = defaultdict(list)
    for hook_id, rota_id, url, events in rows:
        events = json.loads(events) if isinstance(events, str) else events
        if KIND in (events or []):
            hooks[rota_id].append((hook_id, url))
    return hooks


DUE_ROTAS = (
    f'SELECT id, name, slug, timezone, starts_on, handoff_time, "interval", next_boundary, '  # noqa: S608
    f"next_handoff_at, cycle_index, reminder_minutes, reminded_for FROM {ROTA} "
    f"WHERE is_active AND next_handoff_at <= {{now}} ORDER BY id"
)
DUE_MEMBERS = (
    f"SELECT m.rota_id, p.id, p.name, p.email, p.notify_email FROM {MEMBERSHIP} m "  # noqa: S608
    f"JOIN {PERSON} p ON p.id = m.person_id JOIN {ROTA} r ON r.id = m.rota_id "
    f"WHERE r.is_active AND r.next_handoff_at <= {{now}} ORDER BY m.rota_id, m.position"
)
DUE_HOOKS = (
    f"SELECT s.id, s.rota_id, s.url, s.events FROM {SUBSCRIPTION} s "  # noqa: S608
    f"JOIN {ROTA} r ON r.id = s.rota_id "
    f"WHERE s.is_active AND r.is_active AND r.next_handoff_at <= {{now}} ORDER BY s.id"
)


def run_postgres(url: str, *, now: datetime) -> dict:
    """The floor on PostgreSQL; returns row counts and the seconds it took once connected."""
    import psycopg

    zones: dict[str, ZoneInfo] = {}
    conn = psycopg.connect(url)
    started = perf_counter()
    with conn, conn.transaction(), conn.cursor() as cur:
        cur.execute(DUE_ROTAS.format(now="%s") + " FOR UPDATE", (now,))
        rotas = cur.fetchall()
        cur.execute(DUE_MEMBERS.format(now="%s"), (now,))
        members = defaultdict(list)
        for rota_id, *person in cur.fetchall():
            members[rota_id].append(tuple(person))
        cur.execute(DUE_HOOKS.format(now="%s"), (now,))
        hooks = _subscribed(cur.fetchall())
        planned = _plan(rotas, members, zones)

        cur.execute(
            f"INSERT INTO {SHIFT} (rota_id, person_id, starts_at, ends_at, boundary, source, "  # noqa: S608
            f"conflict, passed_over, created_at) "
            f"SELECT r, p, s, e, k, 'rotation', false, '[]'::jsonb, %s "
            f"FROM unnest(%s::bigint[], %s::bigint[], %s::timestamptz[], %s::timestamptz[], "
            f"%s::int[]) AS v(r, p, s, e, k) RETURNING id, rota_id",
            (now, [p.rota_id for p in planned], [p.person[0] for p in planned],
             [p.start for p in planned], [p.end for p in planned], [p.k for p in planned]),
        )  # fmt: skip
        shift_of = {rota_id: shift_id for shift_id, rota_id in cur.fetchall()}
        for p in planned:
            p.shift_id = shift_of[p.rota_id]

        cur.execute(
            f"UPDATE {ROTA} AS r SET next_handoff_at = v.e, next_boundary = v.k, "  # noqa: S608
            f"current_shift_id = v.shift, cycle_person_id = v.person, cycle_index = v.pos, "
            f"owed = '[]'::jsonb, remind_at = v.remind, reminded_for = v.reminded, "
            f"updated_at = %s FROM unnest(%s::bigint[], %s::timestamptz[], %s::int[], "
            f"%s::bigint[], %s::bigint[], %s::int[], %s::timestamptz[], %s::timestamptz[]) "
            f"AS v(id, e, k, shift, person, pos, remind, reminded) WHERE r.id = v.id",
            (now, [p.rota_id for p in planned], [p.end for p in planned],
             [p.k + 1 for p in planned], [p.shift_id for p in planned],
             [p.person[0] for p in planned], [p.position for p in planned],
             [p.remind_at for p in planned], [p.reminded_for for p in planned]),
        )  # fmt: skip

        texts = [_texts(p) for p in planned]
        cur.execute(
            f"INSERT INTO {NOTIFICATION} (person_id, rota_id, kind, title, body, payload, "  # noqa: S608
            f"read_at, dedup_key, created_at) "
            f"SELECT p, r, '{KIND}', t, b, pl::jsonb, NULL, d, %s FROM unnest(%s::bigint[], "
            f"%s::bigint[], %s::text[], %s::text[], %s::text[], %s::text[]) "
            f"AS v(p, r, t, b, pl, d) RETURNING id, dedup_key",
            (now, [p.person[0] for p in planned], [p.rota_id for p in planned],
             [t[1] for t in texts], [t[2] for t in texts], [json.dumps(t[3]) for t in texts],
             [t[0] for t in texts]),
        )  # fmt: skip
        notification_ids = {dedup: nid for nid, dedup in cur.fetchall()}

        deliveries = _deliveries(planned, notification_ids, hooks)
        cur.execute(
            f"INSERT INTO {DELIVERY} (notification_id, channel, target, subscription_id, "  # noqa: S608
            f"status, attempts, next_attempt_at, last_error, response_status, sent_at, "
            f"dedup_key, created_at, updated_at) "
            f"SELECT n, c, t, s, 'pending', 0, %s, '', NULL, NULL, d, %s, %s "
            f"FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::bigint[], %s::text[]) "
            f"AS v(n, c, t, s, d)",
            (now, now, now, *(list(column) for column in zip(*deliveries, strict=True))),
        )  # fmt: skip
    seconds = perf_counter() - started  # after the commit
    return {"seconds": seconds, "shifts": len(planned), "deliveries": len(deliveries)}


def _sqlite_dt(value: datetime | None) -> str | None:
    # Django's SQLite backend stores aware datetimes as naive UTC text.
    return None if value is None else str(value.astimezone(UTC).replace(tzinfo=None))


def _parse_dt(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value).replace(tzinfo=UTC)


def _ids_since(conn, table: str, key: str, last_id: int) -> dict:
    """``{key: id}`` of the rows inserted after ``last_id`` (sqlite3 returns no ids)."""
    rows = conn.execute(f"SELECT id, {key} FROM {table} WHERE id > ?", (last_id,))  # noqa: S608
    return {value: row_id for row_id, value in rows}


def run_sqlite(path: str, *, now: datetime) -> dict:
    """The floor on SQLite (one IMMEDIATE transaction, executemany); returns row counts."""
    import sqlite3

    conn = sqlite3.connect(path, isolation_level=None, timeout=30)
    zones: dict[str, ZoneInfo] = {}
    stamp = _sqlite_dt(now)
    started = perf_counter()
    try:
        conn.execute("BEGIN IMMEDIATE")
        rotas = [
            (r[0], r[1], r[2], r[3], date.fromisoformat(r[4]), time.fromisoformat(r[5]), r[6],
             r[7], _parse_dt(r[8]), r[9], r[10], _parse_dt(r[11]))
            for r in conn.execute(DUE_ROTAS.format(now="?"), (stamp,))
        ]  # fmt: skip
        members = defaultdict(list)
        for rota_id, *person in conn.execute(DUE_MEMBERS.format(now="?"), (stamp,)):
            members[rota_id].append(tuple(person))
        hooks = _subscribed(conn.execute(DUE_HOOKS.format(now="?"), (stamp,)).fetchall())
        planned = _plan(rotas, members, zones)

        (last_shift,) = conn.execute(f"SELECT coalesce(max(id), 0) FROM {SHIFT}").fetchone()  # noqa: S608
        conn.executemany(
            f"INSERT INTO {SHIFT} (rota_id, person_id, starts_at, ends_at, boundary, source, "  # noqa: S608
            f"conflict, passed_over, created_at) VALUES (?, ?, ?, ?, ?, 'rotation', 0, '[]', ?)",
            [(p.rota_id, p.person[0], _sqlite_dt(p.start), _sqlite_dt(p.end), p.k, stamp)
             for p in planned],
        )  # fmt: skip
        shift_of = _ids_since(conn, SHIFT, "rota_id", last_shift)
        for p in planned:
            p.shift_id = shift_of[p.rota_id]

        conn.executemany(
            f"UPDATE {ROTA} SET next_handoff_at = ?, next_boundary = ?, current_shift_id = ?, "  # noqa: S608
            f"cycle_person_id = ?, cycle_index = ?, owed = '[]', remind_at = ?, "
            f"reminded_for = ?, updated_at = ? WHERE id = ?",
            [(_sqlite_dt(p.end), p.k + 1, p.shift_id, p.person[0], p.position,
              _sqlite_dt(p.remind_at), _sqlite_dt(p.reminded_for), stamp, p.rota_id)
             for p in planned],
        )  # fmt: skip

        texts = [_texts(p) for p in planned]
        (last_notification,) = conn.execute(
            f"SELECT coalesce(max(id), 0) FROM {NOTIFICATION}"  # noqa: S608
        ).fetchone()
        conn.executemany(
            f"INSERT INTO {NOTIFICATION} (person_id, rota_id, kind, title, body, payload, "  # noqa: S608
            f"read_at, dedup_key, created_at) VALUES (?, ?, '{KIND}', ?, ?, ?, NULL, ?, ?)",
            [(p.person[0], p.rota_id, t[1], t[2], json.dumps(t[3]), t[0], stamp)
             for p, t in zip(planned, texts, strict=True)],
        )  # fmt: skip
        notification_ids = _ids_since(conn, NOTIFICATION, "dedup_key", last_notification)

        deliveries = _deliveries(planned, notification_ids, hooks)
        conn.executemany(
            f"INSERT INTO {DELIVERY} (notification_id, channel, target, subscription_id, "  # noqa: S608
            f"status, attempts, next_attempt_at, last_error, response_status, sent_at, "
            f"dedup_key, created_at, updated_at) "
            f"VALUES (?, ?, ?, ?, 'pending', 0, ?, '', NULL, NULL, ?, ?, ?)",
            [(n, c, t, s, stamp, d, stamp, stamp) for n, c, t, s, d in deliveries],
        )
        conn.execute("COMMIT")
        seconds = perf_counter() - started
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    finally:
        conn.close()
    return {"seconds": seconds, "shifts": len(planned), "deliveries": len(deliveries)}
