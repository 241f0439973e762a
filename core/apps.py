from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Shared building blocks (API and admin plumbing, periods, idempotency, operations); the lowest floor."""

    name = "core"
    verbose_name = "Shared building blocks"

    def ready(self) -> None:
        from celery import signals
        from django.core.signals import request_finished

        from core import job_runs, request_id, tasks  # noqa: F401 - tasks: the heartbeat registers with Celery

        # Celery's own signals, in every process (web, worker, beat): the request id travels with the
        # tasks a request sends, and each task's outcome is recorded for the health checks and metrics.
        uid = "core."
        signals.before_task_publish.connect(request_id.on_before_task_publish, dispatch_uid=uid + "rid-publish")
        signals.task_prerun.connect(request_id.on_task_prerun, dispatch_uid=uid + "rid-prerun")
        signals.task_postrun.connect(request_id.on_task_postrun, dispatch_uid=uid + "rid-postrun")
        signals.after_task_publish.connect(job_runs.on_task_published, dispatch_uid=uid + "job-sent")
        signals.task_success.connect(job_runs.on_task_success, dispatch_uid=uid + "job-success")
        signals.task_failure.connect(job_runs.on_task_failure, dispatch_uid=uid + "job-failure")
        signals.task_retry.connect(job_runs.on_task_retry, dispatch_uid=uid + "job-retry")
        signals.worker_ready.connect(job_runs.on_worker_ready, dispatch_uid=uid + "worker-ready")
        signals.beat_init.connect(job_runs.on_beat_init, dispatch_uid=uid + "beat-init")
        request_finished.connect(request_id.request_id_clear, dispatch_uid=uid + "rid-clear")
