"""Ops in the admin, in a real browser: periodic tasks survive `rota migrate` as ops left
them, a rota's page previews its schedule in the rota's zone over a chosen window, and a failed
delivery shows its attempts and is retried from its page."""

import datetime as dt

import pytest
from django.core.management import call_command
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from rota_core.testing.factories import PersonFactory, UserFactory
from rota_notifications.delivery import attempt
from rota_notifications.models import Channel, Delivery, Status, WebhookSubscription
from rota_notifications.testing.receiver import Reply, WebhookReceiver
from rota_scheduling.periodic_tasks import REMIND, ROTATE
from rota_scheduling.services import rota_update
from rota_scheduling.testing.factories import RotaFactory

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PASSWORD = "ops-password-for-the-admin"


@pytest.fixture
def admin_page(page, api_url, screenshot):
    """The admin, signed in through its login form."""
    UserFactory(username="ops", password=PASSWORD, is_staff=True, is_superuser=True)
    page.goto(f"{api_url}/admin/")
    page.fill("#id_username", "ops")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#site-name")
    assert "Site administration" in page.content()
    screenshot("admin-01-signed-in")
    return page


def rerun_migrate() -> None:
    """`rota migrate` again: the post_migrate signal that registers the periodic tasks."""
    call_command("migrate", interactive=False, verbosity=0)


def test_a_periodic_task_ops_disabled_stays_disabled_after_migrate(admin_page, api_url, screenshot):
    page = admin_page
    if not PeriodicTask.objects.filter(name=ROTATE.name).exists():
        rerun_migrate()  # a flush of an earlier test took the rows; registration restores them
    task = PeriodicTask.objects.get(name=ROTATE.name)
    assert task.enabled

    page.goto(f"{api_url}/admin/django_celery_beat/periodictask/")
    page.get_by_role("link", name=ROTATE.name).wait_for()
    screenshot("admin-02-periodic-tasks")

    page.get_by_role("link", name=ROTATE.name).click()
    page.wait_for_selector("#id_enabled")
    page.uncheck("#id_enabled")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")
    screenshot("admin-03-rotate-task-disabled")
    task.refresh_from_db()
    assert not task.enabled

    # The registration path really runs: a task deleted meanwhile comes back...
    PeriodicTask.objects.filter(name=REMIND.name).delete()
    rerun_migrate()
    assert PeriodicTask.objects.filter(name=REMIND.name, enabled=True).exists()
    # ...while the one ops disabled is left exactly as it was.
    task.refresh_from_db()
    assert not task.enabled

    page.goto(f"{api_url}/admin/django_celery_beat/periodictask/{task.pk}/change/")
    page.wait_for_selector("#id_enabled")
    assert not page.is_checked("#id_enabled")
    assert page.input_value("#id_regtask") == ROTATE.task  # "Task (registered)" is filled
    screenshot("admin-04-still-disabled-after-migrate")


def test_the_periodic_task_list_says_which_tasks_share_a_schedule(admin_page, api_url, screenshot):
    page = admin_page
    if not PeriodicTask.objects.filter(name=ROTATE.name).exists():
        rerun_migrate()
    shared = IntervalSchedule.objects.create(every=60, period=IntervalSchedule.SECONDS)
    PeriodicTask.objects.filter(name__in=[ROTATE.name, REMIND.name]).update(interval=shared)

    page.goto(f"{api_url}/admin/django_celery_beat/periodictask/")
    warning = page.locator(".messagelist .warning")
    warning.wait_for()
    assert f'"{ROTATE.name}", "{REMIND.name}" share one schedule' in warning.inner_text()
    screenshot("admin-05-shared-schedule-warning")


def test_a_rota_page_previews_its_schedule(admin_page, api_url, screenshot):
    page = admin_page
    ada, grace = PersonFactory(name="Ada Lovelace"), PersonFactory(name="Grace Hopper")
    monday = dt.date.today() - dt.timedelta(days=dt.date.today().weekday())
    rota = RotaFactory(name="Platform on-call", members=[ada, grace], starts_on=monday)

    page.goto(f"{api_url}/admin/rota_scheduling/rota/{rota.pk}/change/")
    preview = page.locator("table.schedule-preview")
    preview.wait_for()
    preview.scroll_into_view_if_needed()
    screenshot("admin-06-rota-schedule-preview")

    rows = preview.locator("tbody tr")
    assert rows.count() >= 8  # weekly turns over the next 8 weeks
    names = set(preview.locator("tbody tr td:nth-child(3)").all_inner_texts())
    assert names == {"Ada Lovelace", "Grace Hopper"}
    # Weekdays are checkboxes, not a JSON text box.
    assert page.locator('input[type=checkbox][name="weekdays"]').count() == 7


def test_the_rota_preview_window_is_chosen_and_shown_in_the_rotas_zone(
    admin_page, api_url, screenshot
):
    page = admin_page
    ada, grace = PersonFactory(name="Ada Lovelace"), PersonFactory(name="Grace Hopper")
    first = dt.date.today() + dt.timedelta(days=7)
    rota = RotaFactory(name="Tokyo desk", members=[ada, grace], cadence="daily",
                       timezone="Asia/Tokyo", starts_on=first)  # fmt: skip

    page.goto(f"{api_url}/admin/rota_scheduling/rota/{rota.pk}/change/")
    page.fill("#id_preview_from", first.isoformat())
    page.fill("#id_preview_weeks", "1")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**preview_weeks=1**")
    preview = page.locator("table.schedule-preview")
    preview.scroll_into_view_if_needed()
    screenshot("admin-07-rota-preview-tokyo-one-week")

    assert preview.get_attribute("data-zone") == "Asia/Tokyo"
    rows = preview.locator("tbody tr")
    assert rows.count() == 8  # nobody until 09:00 on the first day, then seven daily turns
    assert rows.nth(1).locator("td").first.inner_text().endswith("09:00")  # Tokyo, not UTC
    assert rows.nth(1).locator("td").nth(1).inner_text().endswith("09:00 JST")


def test_a_failed_delivery_shows_its_attempts_and_is_retried_from_its_page(
    admin_page, api_url, screenshot, settings
):
    page = admin_page
    settings.ROTA_NOTIFICATIONS_MAX_ATTEMPTS = 1
    settings.ROTA_NOTIFICATIONS_ALLOW_PRIVATE_WEBHOOKS = True
    with WebhookReceiver([Reply(503)]) as receiver:
        rota = RotaFactory(name="Payments", members=[PersonFactory(name="Ada Lovelace")],
                           is_active=False)  # fmt: skip
        WebhookSubscription.objects.create(rota=rota, url=receiver.url)
        rota_update(rota=rota, fields={"is_active": True})  # Ada's shift starts: a webhook
        hook = Delivery.objects.get(channel=Channel.WEBHOOK)
        assert attempt(hook.pk) == Status.FAILED

        page.goto(f"{api_url}/admin/rota_notifications/delivery/")
        row = page.locator("#result_list tbody tr", has_text="Webhook")
        row.wait_for()
        assert row.locator(".field-event").inner_text() == "Shift started"
        assert row.locator(".field-error").inner_text().startswith("HTTP 503")
        assert row.locator(".field-next_attempt").inner_text() == "-"
        screenshot("admin-08-deliveries-list")

        row.locator("th a").click()
        page.get_by_role("button", name="Retry now").wait_for()
        screenshot("admin-09-delivery-failed-detail")
        page.get_by_role("button", name="Retry now").click()
        page.wait_for_selector(".messagelist .success")
        assert attempt(hook.pk) == Status.SENT  # what the worker does with the enqueued task

    page.reload()
    history = page.locator("#history-group tbody tr.has_original")
    assert history.count() == 2
    assert "Failed, given up" in history.nth(0).inner_text()
    assert "Sent" in history.nth(1).inner_text()
    assert page.get_by_role("button", name="Retry now").count() == 0  # sent: nothing to retry
    screenshot("admin-10-delivery-retried-detail")
