"""The clinic's side of doctor agents: sign a pack version, audit a sample of its answers."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field

from careguide.api.deps import CurrentUser, SessionDep
from careguide.api.errors import ApiError
from careguide.api.routers.chat import assistant_of
from careguide.assistant import agent_governance as governance
from careguide.assistant.agent_governance import AgentStatus
from careguide.store.agents import AgentAuditItem
from careguide.store.models import Role

router = APIRouter(prefix="/api/v1/clinic/agents", tags=["clinic"])

_STATUS = {"agent_doctor_only": 403, "agent_not_found": 404, "audit_item_not_found": 404,
           "correction_required": 422}


class SignIn(BaseModel):
    digest: str | None = Field(default=None, description="the content digest the doctor reviewed; refused if it changed")


class AuditItemOut(BaseModel):
    """An audited answer, without the person's identity."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    agent_id: str
    version: int
    language: str
    request: str
    answer: str
    status: str
    corrected_answer: str | None
    created_at: datetime
    reviewed_at: datetime | None


class ReviewIn(BaseModel):
    decision: Literal["approve", "correct"]
    corrected_answer: str | None = Field(default=None, max_length=governance.MAX_TEXT)


def governance_error(exc: governance.GovernanceError) -> ApiError:
    field = "corrected_answer" if exc.key == "correction_required" else None
    return ApiError(_STATUS.get(exc.key, 409), f"clinician.{exc.key}", field)


@router.get("", response_model=list[AgentStatus])
def list_agents(request: Request, user: CurrentUser, session: SessionDep) -> list[AgentStatus]:
    if user.role is not Role.DOCTOR:
        raise ApiError(403, "clinician.agent_doctor_only")
    return governance.agent_statuses(session, assistant_of(request).agents.packs)


@router.post("/{agent_id}/versions/{version}/sign", response_model=AgentStatus)
def sign(agent_id: str, version: int, body: SignIn, request: Request, user: CurrentUser,
         session: SessionDep) -> AgentStatus:
    """The doctor signs the loaded version and becomes its physician: from now on the agent answers."""
    try:
        return governance.sign(session, user, agent_id, version, body.digest, assistant_of(request).agents.packs)
    except governance.GovernanceError as exc:
        raise governance_error(exc) from exc


@router.get("/audit", response_model=list[AuditItemOut])
def audit_queue(user: CurrentUser, session: SessionDep,
                status: Literal["pending", "approved", "corrected"] = "pending") -> list[AgentAuditItem]:
    try:
        return governance.audit_queue(session, user, status)
    except governance.GovernanceError as exc:
        raise governance_error(exc) from exc


@router.post("/audit/{item_id}", response_model=AuditItemOut)
def review(item_id: int, body: ReviewIn, user: CurrentUser, session: SessionDep) -> AgentAuditItem:
    """Approve the answer, or correct it; the correction is kept with the agent version."""
    try:
        return governance.review(session, user, item_id, body.decision, body.corrected_answer)
    except governance.GovernanceError as exc:
        raise governance_error(exc) from exc
