"""A person's caseload steps and timeline in words (the UI's words, :mod:`api.core.texts`)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from api.core.texts import texts
from api.people.schemas import NextStepPublic, TimelineEntry
from features.catalogue import CHARACTERISTICS
from features.i18n import N_, date_text, gettext_for
from features.schemas.dates import today_in_finland

__all__ = ["NEXT_STEPS", "TIMELINE", "next_step_text", "timeline_text"]

NEXT_STEPS: dict[str, str] = {
    "follow_up_due": N_("Six-month follow-up due (hired on %(date)s)"),
    "candidate_request": N_("Rekrypiste asks whether they would want a job (since %(date)s)"),
    "visit_due": N_("Follow-up visit planned for %(date)s is not recorded"),
    "trial_ending": N_("The work trial's last day is %(date)s: hire or not?"),
    "contract_ending": N_("The contract ends on %(date)s: what next?"),
    "handoff": N_("Handed over to you on %(date)s: take it over"),
    "handoff_refused": N_("Your hand-off was not taken over (%(date)s): see why"),
    "agreed_step_due": N_("Agreed with the client by %(date)s, not marked done: %(what)s"),
    "referral_due": N_("Referral's answer awaited by %(date)s, not received: %(what)s"),
    "plan_step_due": N_("A step of the client plan due by %(date)s, not done: %(what)s"),
    "new_matches": N_("New fitting tasks since your last look on %(date)s: %(number)s"),
    "new_since_run": N_("New good matches since the run of %(date)s: %(number)s"),
    "answer_overdue": N_("No answer to proposal no. %(number)s for %(days)s days"),
    "waiting_answer": N_("Proposal no. %(number)s waits for an answer (since %(date)s)"),
    "trial_running": N_("Work trial running since %(date)s"),
    "agreed_step": N_("Agreed with the client by %(date)s: %(what)s"),
    "assess": N_("Assess: %(names)s"),
    "no_activity": N_("Nothing has happened since %(date)s"),
}
"""A caseload's next steps (``features.caseload.Step``) in words."""


def next_step_text(step: NextStepPublic, lang: str, now: datetime) -> str:
    """One of a caseload's next steps in ``lang``."""
    since = step.since
    values = {
        "date": date_text(today_in_finland(since), lang) if since else "",
        "days": (now - since).days if since else 0,
        "number": step.about_id or "",
        "names": ", ".join(CHARACTERISTICS[c].name(lang) for c in step.characteristics),
        "what": step.what,
    }
    if step.step == "referral_due":  # ``what`` is the referral's kind
        values["what"] = texts(lang).get(f"referred_to_{step.what}", step.what)
    return gettext_for(lang)(NEXT_STEPS[step.step]) % values


TIMELINE: dict[str, str] = {
    "profile_created": N_("Profile created by %(actor)s"),
    "profile_changed": N_("Profile changed by %(actor)s"),
    "proposed": N_("Proposed by %(actor)s: %(tasks)s (proposal no. %(number)s)"),
    "proposed_against_engine": N_(
        "Proposed against the engine's judgement by %(actor)s: %(tasks)s (proposal no. %(number)s)"
    ),
    "step": N_("Proposal no. %(number)s: %(step)s"),
    "handed_over": N_("Handed over by %(actor)s to: %(role)s"),
    "taken_over": N_("Taken over by %(actor)s"),
    "handoff_refused": N_("Hand-off not taken over by %(actor)s"),
    "undone": N_("%(actor)s undid a step recorded by mistake: %(step)s"),
    "asked": N_("Rekrypiste (%(actor)s) asked about %(tasks)s"),
    "answered": N_("%(actor)s answered the Rekrypiste: %(answer)s"),
    "left_out": N_("%(actor)s left out %(tasks)s"),
    "contact": N_("Contact with the client (%(actor)s): %(contact)s"),
    "referral_made": N_("%(actor)s referred the client: %(referral)s"),
    "referral_answered": N_("Referral answered (%(actor)s): %(referral)s"),
    "referral_cancelled": N_("Referral cancelled (%(actor)s): %(referral)s"),
    "plan_step_added": N_("%(actor)s agreed a step of the client plan with the client"),
    "plan_step_done": N_("A step of the client plan done (%(actor)s)"),
    "plan_step_dropped": N_("A step of the client plan dropped (%(actor)s)"),
    "episode_started": N_("%(actor)s started a service episode; referred by: %(step)s"),
    "episode_event": N_("Service episode (%(actor)s): %(step)s"),
}
"""A person's timeline (``api.people.timeline``) in words."""


def timeline_text(entry: TimelineEntry, lang: str, titles: Mapping[int, Mapping[str, str]]) -> str:
    """One timeline entry in ``lang``; tasks by their titles."""
    words = texts(lang)
    values = {
        "actor": entry.actor or "",
        "number": entry.about_id or "",
        "tasks": ", ".join(titles.get(t, {}).get("title", str(t)) for t in entry.task_ids),
        "step": words.get(entry.step or "", entry.step or ""),
        "role": words.get(f"role_{entry.to_role}", entry.to_role or ""),
        "answer": words.get(f"answer_{entry.answer}", entry.answer or ""),
        "referral": words.get(f"referred_to_{entry.referral}", str(entry.referral or "")),
    }
    _ = gettext_for(lang)
    if entry.contact is not None:
        values["contact"] = words.get(f"contact_{entry.contact.value}", entry.contact.value)
    said = _(TIMELINE[entry.kind]) % values
    if entry.path:
        said += ": " + words.get(entry.path, entry.path)
    if entry.step_done:
        said += " " + _("The agreed step was found done.")
    if entry.due_on is not None and entry.kind == "contact":
        said += " " + _("Next step agreed, due by %(date)s.") % {
            "date": date_text(entry.due_on, lang)
        }
    elif entry.due_on is not None and entry.kind == "referral_made":
        said += " · " + _("Answer awaited by %(date)s") % {"date": date_text(entry.due_on, lang)}
    elif entry.due_on is not None and entry.kind == "plan_step_added":
        said += " · " + _("due by %(date)s") % {"date": date_text(entry.due_on, lang)}
    return said
