"""Tasks by name. A task is ``fn(session, **args) -> dict | None`` run inside the job's transaction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

TaskFunction = Callable[..., dict[str, Any] | None]


@dataclass(frozen=True)
class TaskSpec:
    name: str
    function: TaskFunction
    max_attempts: int
    lease_seconds: int
    retry_base_seconds: float


TASKS: dict[str, TaskSpec] = {}


def task(name: str, *, max_attempts: int = 3, lease_seconds: int = 600,
         retry_base_seconds: float = 2.0) -> Callable[[TaskFunction], TaskFunction]:
    """Register ``fn`` under ``name``; ``lease_seconds`` must exceed its longest honest run;
    retries wait ``retry_base_seconds`` x 4^(attempt-1), capped at 10 minutes."""

    def register(function: TaskFunction) -> TaskFunction:
        TASKS[name] = TaskSpec(name, function, max_attempts, lease_seconds, retry_base_seconds)
        return function

    return register


def spec(name: str) -> TaskSpec:
    if name not in TASKS:
        from careguide.jobs import tasks  # noqa: F401  (registers the built-in tasks)
    return TASKS[name]


def run_task(name: str, session: Session, args: dict[str, Any]) -> dict[str, Any] | None:
    return spec(name).function(session, **args)
