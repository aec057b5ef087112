"""Keep the Celery worker alive when Redis goes away while it holds an unacknowledged task.

Found by drills/redis_outage.py (Celery 5.7.0, kombu 5.7.0, the newest releases): with
``task_acks_late`` a running task's message is unacknowledged; when the broker connection drops,
the worker's consumer first ``collect()``s the connection (which detaches the transport:
``transport.client = None``) and then closes it, and closing the channel restores unacknowledged
messages through that transport; later the finished task's deferred ack goes through it too.
Both reach ``kombu.transport.redis.Channel._connparams``, which reads ``transport.client.hostname``
and raises ``AttributeError``. That is not a connection error, so the worker reports an
"Unrecoverable error" and exits: a Redis restart during a task stopped the worker for good
(``rota serve`` then stops the web server and beat too).

The guard turns that into what it is, a ``redis.ConnectionError``, which kombu and Celery
already handle: the worker logs it, reconnects when Redis is back, and the message left
unacknowledged in Redis (if Redis kept it) is redelivered after the visibility timeout; the
tasks are idempotent (a delivery is claimed with a lease, a sweep locks its rows).
Drop this module once kombu checks for a detached transport itself.
"""

from __future__ import annotations


def guard_detached_redis_channels() -> None:
    try:
        from kombu.transport import redis as kombu_redis
        from redis.exceptions import ConnectionError as RedisConnectionError
    except ImportError:  # no Redis transport installed: nothing to guard
        return
    original = getattr(kombu_redis.Channel, "_connparams", None)
    if original is None or getattr(original, "rota_guarded", False):
        return

    def _connparams(self, asynchronous=False):
        if getattr(self.connection, "client", None) is None:
            raise RedisConnectionError("the broker connection of this channel is closed")
        return original(self, asynchronous=asynchronous)

    _connparams.rota_guarded = True
    kombu_redis.Channel._connparams = _connparams
