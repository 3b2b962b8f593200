"""Staff tasks ("Aufgaben") about a customer: created by any app, done once by staff."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from standing.core import lifecycle

from .models import StaffTask, TaskStatus


class TaskNotOpen(lifecycle.TransitionNotAllowed):
    pass


class TaskChangedMeanwhile(lifecycle.ChangedMeanwhile, TaskNotOpen):
    pass


TASK = lifecycle.Lifecycle(
    "staff_task",
    StaffTask,
    {(TaskStatus.OPEN, TaskStatus.DONE): "done"},
    action_prefix="task",
    internal=True,
    describe=lambda task: _("Task “%(title)s”") % {"title": task.title},
    refusal=lambda task, frm, to: _("This task is done already."),
    summary=lambda task, frm, to: _("Task done: %(title)s") % {"title": task.title},
    not_allowed=TaskNotOpen,
    changed=TaskChangedMeanwhile,
)


def complete_task(task: StaffTask, actor) -> StaffTask:
    """Staff mark a task done: once, with who and when, in the customer's activity."""
    return TASK.transition(
        task, TaskStatus.DONE, actor, updates={"done_at": timezone.now(), "done_by": actor.user}
    )
