"""Conversation state: a pure, serialisable model (the API stores it; the assistant reads and returns it)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

MAX_TURNS = 200  # older turns are dropped from the live state; the store keeps history per retention setting


def _now() -> datetime:
    return datetime.now(UTC)


class Turn(BaseModel):
    role: Literal["user", "assistant"]
    text: str
    at: datetime = Field(default_factory=_now)
    intent: str | None = None
    language: Literal["en", "zh"] | None = None
    sources: list[str] = Field(default_factory=list, description="passage ids the answer cites")
    autonomy_level: str | None = None
    human_reviewed: bool = False
    safety_rules: list[str] = Field(default_factory=list)


class ConversationState(BaseModel):
    """Everything the assistant needs to continue a conversation; JSON in, JSON out."""

    id: str = Field(default_factory=lambda: uuid.uuid4().hex)
    language: Literal["en", "zh"] | None = None
    region: str = "CN"
    turns: list[Turn] = Field(default_factory=list)
    triage: dict[str, Any] | None = Field(default=None, description="evidence of a triage interview in progress")
    agent_id: str | None = None
    created_at: datetime = Field(default_factory=_now)
    updated_at: datetime = Field(default_factory=_now)

    def add(self, turn: Turn) -> None:
        self.turns.append(turn)
        if len(self.turns) > MAX_TURNS:
            del self.turns[: len(self.turns) - MAX_TURNS]
        self.updated_at = turn.at

    def last_user_text(self) -> str | None:
        return next((turn.text for turn in reversed(self.turns) if turn.role == "user"), None)

    def to_json(self) -> str:
        return self.model_dump_json()

    @classmethod
    def from_json(cls, data: str | bytes) -> ConversationState:
        return cls.model_validate_json(data)
