"""The task schedule: cron labels on the tasks (analytics_tasks.SCHEDULE), read by Taskiq's
label schedule source. Run exactly one scheduler (`wismo scheduler`): two would enqueue every
job twice (harmless - every task is idempotent - but wasteful)."""

from taskiq import TaskiqScheduler
from taskiq.schedule_sources import LabelScheduleSource

from app.workers.analytics_tasks import tasks as _tasks  # noqa: F401  (registers them)
from app.workers.broker import broker

scheduler = TaskiqScheduler(broker=broker, sources=[LabelScheduleSource(broker)])
