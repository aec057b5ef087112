from django.apps import AppConfig
from django.db.models.signals import post_migrate

RESULT_CLEANUP = "Purge old task results"


def register_result_cleanup(sender, **kwargs) -> None:
    from rota_scheduling.periodic import PeriodicSpec, ensure_periodic_tasks

    ensure_periodic_tasks(
        [
            PeriodicSpec(
                name=RESULT_CLEANUP,
                task="celery.backend_cleanup",
                description="Deletes task results older than CELERY_RESULT_EXPIRES.",
                crontab={"minute": "30", "hour": "3"},
            )
        ]
    )


class RotaSiteConfig(AppConfig):
    name = "rota_site"
    verbose_name = "Rota Round site"

    def ready(self) -> None:
        post_migrate.connect(register_result_cleanup, sender=self, dispatch_uid="rota_site.cleanup")
