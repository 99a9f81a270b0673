"""The words of booking notifications: confirmations, reminders, cancellations, wait-list offers."""

from __future__ import annotations

from datetime import datetime, timedelta

from careguide.booking.notifications import Message
from careguide.booking.views import AppointmentView, local_time
from careguide.i18n import t

REMINDER_BEFORE = timedelta(hours=24)


def booked_messages(view: AppointmentView, lang: str, now: datetime) -> list[Message]:
    """A confirmation now, and a reminder the day before (when that is still ahead)."""
    params = _params(view, lang)
    link = f"/booking/appointments/{view.id}"
    messages = [
        Message(
            user_id=view.person_id,
            kind="booking.confirmed",
            title=t("booking.notice_confirmed_title", lang, **params),
            body=t("booking.notice_confirmed_body", lang, **params),
            link=link,
            due_at=now,
        )
    ]
    remind_at = view.start - REMINDER_BEFORE
    if remind_at > now:
        messages.append(
            Message(
                user_id=view.person_id,
                kind="booking.reminder",
                title=t("booking.notice_reminder_title", lang, **params),
                body=t("booking.notice_reminder_body", lang, **params),
                link=link,
                due_at=remind_at,
            )
        )
    return messages


def cancelled_message(view: AppointmentView, lang: str) -> Message:
    params = _params(view, lang)
    return Message(
        user_id=view.person_id,
        kind="booking.cancelled",
        title=t("booking.notice_cancelled_title", lang, **params),
        body=t("booking.notice_cancelled_body", lang, **params),
        link=f"/booking/appointments/{view.id}",
    )


def offer_message(view: AppointmentView, lang: str) -> Message:
    params = _params(view, lang)
    expires = view.hold_expires_at
    params["until"] = local_time(expires, view.place.timezone) if expires else ""
    return Message(
        user_id=view.person_id,
        kind="booking.waitlist_offer",
        title=t("booking.notice_offer_title", lang, **params),
        body=t("booking.notice_offer_body", lang, **params),
        link=f"/booking/appointments/{view.id}",
    )


def _params(view: AppointmentView, lang: str) -> dict[str, object]:
    return {
        "when": view.local_start,
        "doctor": view.practitioner.name.get(lang),
        "title": view.practitioner.title_text.get(lang),
        "department": view.department.get(lang),
        "hospital": view.place.organization.get(lang),
        "building": view.place.building.get(lang),
        "floor": view.place.floor,
    }
