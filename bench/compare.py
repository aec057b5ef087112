"""Do two databases hold the same rotation rows? (The sweep and its floor must write the same.)

Rows are keyed by what they mean, not by id: a shift by (rota, start), a notification by its
rota and shift start, a delivery by its notification and target, so the check does not depend
on the order rows were inserted in.
"""

from __future__ import annotations

import json

from . import databases


def _json(value):
    return json.loads(value) if isinstance(value, str) else value


def snapshot(url: str) -> dict[str, dict]:
    conn = databases.connect(url)
    try:
        cur = conn.cursor()
        cur.execute(
            "SELECT id, rota_id, person_id, starts_at, ends_at, boundary, source, conflict, "
            "passed_over FROM rota_scheduling_shift"
        )
        shift_key, shifts = {}, {}
        for sid, rota, person, start, end, k, source, conflict, passed in cur.fetchall():
            shift_key[sid] = (rota, str(start))
            shifts[(rota, str(start))] = (person, str(end), k, source, bool(conflict),
                                          _json(passed))  # fmt: skip
        cur.execute(
            "SELECT id, next_handoff_at, next_boundary, current_shift_id, cycle_person_id, "
            "cycle_index, owed, remind_at, reminded_for, is_active FROM rota_scheduling_rota"
        )
        rotas = {
            rid: (str(nxt), k, shift_key.get(cur_shift), cp, ci, _json(owed), str(remind),
                  str(reminded), bool(active))
            for rid, nxt, k, cur_shift, cp, ci, owed, remind, reminded, active in cur.fetchall()
        }  # fmt: skip

        cur.execute(
            "SELECT id, person_id, rota_id, kind, title, body, payload, dedup_key, read_at "
            "FROM rota_notifications_notification"
        )
        notification_key, notifications, texts = {}, {}, {}
        for nid, person, rota, kind, title, body, payload, dedup, read_at in cur.fetchall():
            payload = _json(payload)
            key = _key_of(dedup, payload, shift_key)
            notification_key[nid] = key
            notifications[key] = (person, rota, kind, str(read_at))
            payload.pop("id", None)
            payload["shift_id"] = shift_key.get(payload.get("shift_id"))
            texts[key] = (title, body, json.dumps(payload, sort_keys=True, default=str))
        cur.execute(
            "SELECT notification_id, channel, target, subscription_id, status, attempts, "
            "last_error, response_status, sent_at FROM rota_notifications_delivery"
        )
        deliveries = {
            (notification_key[nid], channel, target, sub): (status, attempts, error, code,
                                                            str(sent))
            for nid, channel, target, sub, status, attempts, error, code, sent in cur.fetchall()
        }  # fmt: skip
    finally:
        conn.close()
    return {
        "shifts": shifts,
        "rotas": rotas,
        "notifications": notifications,
        "deliveries": deliveries,
        "texts": texts,
    }


def _key_of(dedup: str, payload: dict, shift_key: dict) -> tuple:
    shift = shift_key.get(payload.get("shift_id"))
    return (dedup.split(":", 1)[0], shift, payload.get("person", {}).get("id"))


def differences(a: dict[str, dict], b: dict[str, dict]) -> dict[str, str]:
    """Per table, a short description of how ``a`` and ``b`` differ (empty when equal)."""
    found = {}
    for table in a:
        left, right = a[table], b[table]
        if left == right:
            continue
        only_left = len(left.keys() - right.keys())
        only_right = len(right.keys() - left.keys())
        changed = [k for k in left.keys() & right.keys() if left[k] != right[k]]
        example = ""
        if changed:
            k = changed[0]
            example = f"; e.g. {k}: {left[k]!r} != {right[k]!r}"
        found[table] = (
            f"{len(left)} vs {len(right)} rows, {only_left}/{only_right} unmatched, "
            f"{len(changed)} differ{example}"
        )
    return found
