"""django-celery-beat's periodic task admin, as ops need it.

- It warns when tasks share a schedule row. django-celery-beat lets several tasks point at one
  interval or crontab row, and its admin edits that row in place: re-timing one task silently
  re-times the others. The shipped tasks each get a row of their own
  (``periodic.ensure_periodic_tasks``); this says so when ops made tasks share one.
- "Task (registered)" shows the task's registered name. django-celery-beat's form leaves it
  blank on every saved task (the name only shows under "Task (custom)").
"""

from __future__ import annotations

from django.contrib import admin, messages
from django_celery_beat.admin import PeriodicTaskAdmin, PeriodicTaskForm
from django_celery_beat.models import PeriodicTask

from .periodic import shared_schedules


def warn_shared_schedules(request, *, task_name: str | None = None) -> None:
    for shared in shared_schedules():
        if task_name is not None and task_name not in shared.task_names:
            continue
        names = ", ".join(f'"{name}"' for name in shared.task_names)
        messages.warning(
            request,
            f"{names} share one schedule ({shared.schedule}): editing it changes all of "
            f"them. Give each task a schedule of its own.",
        )


class RegisteredTaskPeriodicTaskForm(PeriodicTaskForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        registered = {value for value, _ in self.fields["regtask"].widget.choices}
        if self.instance.pk and self.instance.task in registered:
            self.initial.setdefault("regtask", self.instance.task)


class OpsPeriodicTaskAdmin(PeriodicTaskAdmin):
    form = RegisteredTaskPeriodicTaskForm

    def changelist_view(self, request, extra_context=None):
        if request.method == "GET":
            warn_shared_schedules(request)
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        task = self.get_object(request, object_id)
        if request.method == "GET" and task is not None:
            warn_shared_schedules(request, task_name=task.name)
        return super().change_view(request, object_id, form_url, extra_context)


def register_periodic_task_admin(site: admin.AdminSite = admin.site) -> None:
    """Replace django-celery-beat's PeriodicTask admin (listed before this app in
    INSTALLED_APPS, so already registered) with the one above."""
    if site.is_registered(PeriodicTask):
        site.unregister(PeriodicTask)
    site.register(PeriodicTask, OpsPeriodicTaskAdmin)
