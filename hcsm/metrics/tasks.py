"""Background work: one task per provider batch (``RefreshBatch``), and the rescoring after
a day's batches. Arguments are ids; both are idempotent (see ``services.refresh_batch_run``)."""

from django_tasks import task

from . import services


@task()
def refresh_batch(batch_id: int) -> int:
    """Run one provider batch; returns how many accounts were taken (0 when it already ran).
    The batch that finds no other batch of its day left to run rebuilds the scores."""
    batch = services.refresh_batch_run(batch_id=batch_id)
    if batch is None:
        return 0
    if services.refresh_day_finished(day=batch.day):
        services.scores_recompute()
        services.adoption_warm()
    return batch.taken


@task()
def rescore() -> int:
    """Rebuild the organization scores and ranks from the accounts' latest figures."""
    return services.scores_recompute()
