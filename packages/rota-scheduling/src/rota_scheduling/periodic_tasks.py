"""The periodic tasks this app ships (registered after migrate, never overwritten)."""

from .periodic import PeriodicSpec

ROTATE = PeriodicSpec(
    name="Rotate due rotas",
    task="rota_scheduling.rotate_due_rotas",
    description="Stores every handoff whose time has come (catching up after downtime).",
    every_seconds=60,
)
REMIND = PeriodicSpec(
    name="Send shift reminders",
    task="rota_scheduling.send_reminders",
    description="Reminds the next person reminder_minutes before each handoff.",
    every_seconds=60,
)
SPECS = [ROTATE, REMIND]
