"""Background work: one task per provider batch (``RefreshBatch``), and the rescoring after
a day's batches. Arguments are ids; both are idempotent (see ``services.refresh_batch_run``)."""

from django_tasks import task

from . import services


@task()
def refresh_batch(batch_id: int) -> int:
    """Run one provider batch; returns how many accounts were taken (0 when it already ran)."""
    batch = services.refresh_batch_run(batch_id=batch_id)
    return batch.taken if batch else 0


@task()
def rescore() -> int:
    """Rebuild the organization scores and ranks from the accounts' latest figures."""
    return services.scores_recompute()
