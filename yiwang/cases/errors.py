"""Errors of case handling, with the stable codes the API and pages show."""

from yiwang.common.errors import Conflict


class CaseStateError(Conflict):
    """A transition the state machine does not allow from the case's current state."""

    default_code = "case.illegal_transition"
    default_message = "该办件当前状态不允许此操作"


class TaskTaken(Conflict):
    default_code = "task.taken"
    default_message = "该任务已由其他人员认领"
