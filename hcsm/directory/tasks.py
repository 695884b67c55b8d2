from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone
from django_tasks import task

from .models import Submission


@task()
def notify_submitter(submission_id: int) -> bool:
    """Email the submitter that their submission was decided. Idempotent: the conditional
    update claims the notification once, so a retried task sends nothing twice."""
    claimed = (
        Submission.objects.filter(pk=submission_id, notified_at__isnull=True)
        .exclude(status=Submission.Status.PENDING)
        .update(notified_at=timezone.now())
    )
    if claimed != 1:
        return False
    sub = Submission.objects.select_related("submitter", "organization").get(pk=submission_id)
    context = {"submission": sub, "site_url": settings.SITE_URL}
    send_mail(
        subject=render_to_string("directory/email/decided_subject.txt", context).strip(),
        message=render_to_string("directory/email/decided_body.txt", context),
        from_email=None,
        recipient_list=[sub.submitter.email],
    )
    return True
