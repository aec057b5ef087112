"""Ops in the admin, in a real browser: periodic tasks survive `rota migrate` as ops left
them, and a rota's page previews its schedule."""

import datetime as dt

import pytest
from django.core.management import call_command
from django_celery_beat.models import PeriodicTask

from rota_core.testing.factories import PersonFactory, UserFactory
from rota_scheduling.periodic_tasks import REMIND, ROTATE
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
    screenshot("admin-04-still-disabled-after-migrate")


def test_a_rota_page_previews_its_schedule(admin_page, api_url, screenshot):
    page = admin_page
    ada, grace = PersonFactory(name="Ada Lovelace"), PersonFactory(name="Grace Hopper")
    monday = dt.date.today() - dt.timedelta(days=dt.date.today().weekday())
    rota = RotaFactory(name="Platform on-call", members=[ada, grace], starts_on=monday)

    page.goto(f"{api_url}/admin/rota_scheduling/rota/{rota.pk}/change/")
    preview = page.locator("table.schedule-preview")
    preview.wait_for()
    preview.scroll_into_view_if_needed()
    screenshot("admin-05-rota-schedule-preview")

    rows = preview.locator("tbody tr")
    assert rows.count() >= 8  # weekly turns over the next 8 weeks
    names = set(preview.locator("tbody tr td:nth-child(3)").all_inner_texts())
    assert names == {"Ada Lovelace", "Grace Hopper"}
