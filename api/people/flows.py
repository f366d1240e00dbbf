"""Page assembly for people: what a person's page shows, gathered from the services of the
domains it spans (the person, their matches and vacancies, proposals and their follow-up,
hand-overs and candidate requests, the timeline, the pool's news) — each read under the acting
user's access rules and audited as that service does. A flow returns data; the page renders it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from api.auth.policy import reachable_person
from api.core.context import Context
from api.core.purposes import Purpose
from api.core.security import COORDINATOR_ROLES, Permission, allowed, records_outcome
from api.employers import candidate_requests
from api.employers import service as employers
from api.market import service as market
from api.people import contacts, episodes, handoffs, plan, referrals, timeline
from api.people import service as people
from api.people.schemas import ReferralPublic
from api.people.words import timeline_text
from api.proposals import follow_up
from api.proposals import service as proposals
from api.suggestions import service as matching
from api.suggestions.schemas import MatchFilters
from features.catalogue import CHARACTERISTICS, EDUCATION_LEVELS
from features.catalogue.characteristics import GROUP_NAMES
from features.i18n import gettext_for, language_names
from features.schemas.contact import ContactKind
from features.schemas.dates import today_in_finland
from features.schemas.episode import ContinuationPath, ReferralSource
from features.schemas.plan import PlanWho
from features.schemas.proposal import DeclineReason, OutcomeKind, next_steps
from features.schemas.referral import ReferralKind, ReferralOutcome
from features.supports import SupportTerms

__all__ = [
    "CONTACTS_ON_PAGE",
    "PAGE_ERRORS",
    "PAGE_MESSAGES",
    "PROPOSALS_PER_PAGE",
    "REFUSABLE",
    "TIMELINE_ON_PAGE",
    "RefusedForm",
    "awaited_statements",
    "capacities",
    "characteristic_groups",
    "person_page",
]

MATCHES_ON_PAGE = 10
"""The person page's hidden-job matches: the ten best, whatever was left out."""
PAGE_MESSAGES = frozenset({
    "overridden", "outcome", "saved", "restored", "answered",
    "handed_off", "taken_over", "plan_saved",
    "visit_planned", "visit_recorded", "support_saved",
    "proposed", "already_proposed", "withdrawn",
    "episode_started", "episode_recorded", "taken_on",
    "identity_saved", "handoff_refused", "undone", "episode_undone",
    "handoff_closed_already", "contact_recorded", "referral_made", "referral_closed",
    "referral_closed_already", "answered_already",
    "step_planned", "planned_step_closed", "planned_step_closed_already",
})  # fmt: skip
"""The notices a person's page shows after an action: a fixed set of keys into the UI's words,
so that no address can make the page print a text of its own."""
PAGE_ERRORS: Mapping[str, str] = {
    "referral_closed_already": "referrals",
    "planned_step_closed_already": "plan",
    "answered_already": "network",
}
"""Of those, the ones that say something was refused, each with the section whose form it was:
said there, in an error summary that takes the focus (a refused form the page can show again
with what was typed is a :class:`RefusedForm` instead)."""

NOTICE_SECTIONS: Mapping[str, str] = {
    "contact_recorded": "contacts",
    "referral_made": "referrals", "referral_closed": "referrals",
    "step_planned": "plan", "planned_step_closed": "plan",
    "answered": "network", "handed_off": "network", "taken_over": "network",
    "handoff_refused": "network", "handoff_closed_already": "network",
    "outcome": "proposals", "plan_saved": "proposals", "visit_planned": "proposals",
    "visit_recorded": "proposals", "support_saved": "proposals", "undone": "proposals",
    "proposed": "proposals", "already_proposed": "proposals", "withdrawn": "proposals",
    "episode_started": "episode", "episode_recorded": "episode", "episode_undone": "episode",
}  # fmt: skip
"""Where a notice is shown: in the section the page opens at after the action (the address's
``#section``), not at the top of a long page, out of sight."""

REFUSABLE = frozenset({
    "leave_out", "answer", "handoff", "refuse_handoff", "outcome", "undo_step", "undo_episode",
    "withdraw",
    "follow_up_plan", "visit", "visit_done", "support", "why_not",
})  # fmt: skip
"""The person page's forms that a refusal shows again in place (besides the service episode,
contact, referral and plan forms, which keep their own ``*_sent``)."""

PROPOSAL_FORMS = frozenset({"outcome", "undo_step", "withdraw", "follow_up_plan", "visit",
                            "visit_done", "support"})  # fmt: skip
"""Of those, the forms about one proposal (``key``: the proposal's id)."""


@dataclass(frozen=True)
class RefusedForm:
    """A refused form of the person's page, shown again where it was with what was typed:
    ``form`` names it (one of :data:`REFUSABLE`), ``key`` which one where the page has one per
    suggested task, candidate request, hand-off, proposal or visit; its problems go to the
    page as its ``errors``, summarised at the form."""

    form: str
    key: int | None = None
    sent: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.form not in REFUSABLE:
            raise ValueError(f"not a refusable form of the person page: {self.form}")

    def at(self, form: str, key: int | None = None) -> bool:
        """Whether this is the refusal of that form (the page asks at each of its forms)."""
        return self.form == form and self.key == key

    def value(self, name: str, default: str = "") -> str:
        """What was typed in the field ``name`` (``default`` when it was not sent)."""
        return self.sent.get(name, default)


PROPOSALS_PER_PAGE = 10
CONTACTS_ON_PAGE = 10
"""A person's page lists their ten newest contacts (the API and the export give them all)."""
TIMELINE_ON_PAGE = 20
"""A person's page shows the newest twenty things that happened (the API gives up to 500)."""


def characteristic_groups(lang: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """The catalogue's characteristics by group, in its order: (group name, [(id, name)])."""
    _ = gettext_for(lang)
    groups: dict[str, list[tuple[str, str]]] = {}
    for cid, c in CHARACTERISTICS.items():
        groups.setdefault(_(GROUP_NAMES[c.group]), []).append((cid, c.name(lang)))
    return list(groups.items())


def awaited_statements(referred: list[ReferralPublic]) -> dict[str, list[ReferralPublic]]:
    """The open referrals whose awaited statement will assess each characteristic, by its id
    (a characteristic may be awaited from more than one)."""
    awaited: dict[str, list[ReferralPublic]] = {}
    for referral in referred:
        if referral.state == "open":
            for cid in referral.assesses:
                awaited.setdefault(cid, []).append(referral)
    return awaited


def capacities(
    profile: Any, lang: str, awaited: Mapping[str, list[ReferralPublic]] | None = None
) -> list[dict[str, Any]]:
    """The profile's capacity ratings in words, by group in the catalogue's order (a group
    heads its rows), each with who assessed it and when, a physician's restriction or
    recommendation, and the kilograms where they belong; and beside each, the statements
    ``awaited`` of open referrals that will assess it — a characteristic not rated yet but
    awaited has its row too (``level`` none), so that the coordinator sees what the statement
    will fill."""
    _ = gettext_for(lang)
    awaited = awaited or {}
    rows: list[dict[str, Any]] = []
    group = None
    for cid, c in CHARACTERISTICS.items():
        rating = profile.capacities.get(cid)
        if rating is None and cid not in awaited:
            continue
        if c.group is not group:
            group = c.group
            rows.append({"group": _(GROUP_NAMES[group])})
        shown: dict[str, Any] = {"name": c.name(lang), "level": None,
                                 "awaited": awaited.get(cid, [])}  # fmt: skip
        if rating is not None:
            statement = "restriction" if rating.hard_limit else (
                "recommendation" if rating.recommended else "")  # fmt: skip
            shown |= {
                "level": int(rating.level),
                "text": c.levels[int(rating.level)].text(lang),
                "statement": statement,
                "source": rating.source.value,
                "assessed_on": rating.assessed_on,
                "kilograms": rating.kilograms,
            }
        rows.append(shown)
    return rows


def person_page(
    ctx: Context,
    jobseeker_id: int,
    *,
    lang: str,
    supports: SupportTerms,
    page: int = 1,
    message: str = "",
    refused: RefusedForm | None = None,
    episode_sent: dict[str, Any] | None = None,
    contact_sent: dict[str, Any] | None = None,
    referral_sent: dict[str, Any] | None = None,
    plan_step_sent: dict[str, Any] | None = None,
    errors: list[Any] | None = None,
) -> dict[str, Any]:
    """Everything the person's page shows but its pager: the person (read and audited as a web
    page view), their best tasks (a stored suggestion), a page of proposals with their next
    steps and follow-ups, left-out tasks, hand-overs, candidate requests, the timeline, open
    vacancies and the pool's news. ``message`` is shown only if it is one of the page's notices;
    ``refused`` shows a refused form again at its place with what was typed (its problems
    are the page's ``errors``);
    ``episode_sent`` a refused service-episode form as it was sent (``form``: start, status,
    outcome or end), its problems ``errors``; ``contact_sent`` likewise a refused contact,
    ``referral_sent`` a refused referral (``form``: make, or close with its ``referral_id``)
    and ``plan_step_sent`` a refused step of the client plan (``form``: add, or close with its
    ``step_id``)."""
    user = ctx.actor
    person = people.read_person(ctx, jobseeker_id, purpose=Purpose.WEB_PERSON_PAGE, via="web")
    row = reachable_person(ctx, jobseeker_id)
    profile = person.profile
    left_out = proposals.left_out_tasks(ctx, jobseeker_id, audited=False)
    # A task left out makes room for the next: the list stays ten long.
    answer = matching.tasks_for_person(
        ctx,
        jobseeker_id,
        MatchFilters(k=MATCHES_ON_PAGE),
        purpose=Purpose.WEB_HIDDEN_JOB_SEARCH,
        left_out=[x.task_id for x in left_out],
    )
    history, n_proposals = proposals.proposals_of_person(
        ctx, jobseeker_id, PROPOSALS_PER_PAGE, (page - 1) * PROPOSALS_PER_PAGE
    )
    handed = handoffs.handoffs_of_person(ctx, jobseeker_id, audited=False)
    asked = (
        candidate_requests.requests_in_view(ctx, jobseeker_id=jobseeker_id)
        if allowed(user.role, Permission.READ_CANDIDATE_REQUESTS)
        else []
    )
    task_ids = [
        *(i.task_id for i in answer.items),
        *(t for p in history for t in p.task_ids),
        *(x.task_id for x in left_out),
        *(t for r in asked for t in r.task_ids),
    ]
    other_role = next(r for r in COORDINATOR_ROLES if r is not user.role)
    happened = timeline.timeline(ctx, jobseeker_id, TIMELINE_ON_PAGE)
    vacancies = matching.open_vacancies_for_person(ctx, jobseeker_id, 5)
    task_ids += [t for v in vacancies.items for t in v.task_ids]
    follow_ups = {
        p.id: follow_up.follow_up(ctx, p.id, audited=False)
        for p in history
        if any(e.kind is OutcomeKind.HIRED for e in p.events)
        and allowed(user.role, Permission.FOLLOW_UP)
    }
    task_ids += [t for e in happened for t in e.task_ids]
    titles = employers.task_titles(ctx.session, task_ids)
    news = market.person_news(ctx, jobseeker_id, lang) if ctx.batch and ctx.batch.runs() else None
    journeys = (
        episodes.episodes_of_person(ctx, jobseeker_id, audited=False)
        if allowed(user.role, Permission.SERVICE_EPISODES)
        else None
    )
    met = (
        contacts.contacts_of_person(ctx, jobseeker_id, audited=False)
        if allowed(user.role, Permission.CONTACTS)
        else None
    )
    referred = (
        referrals.referrals_of_person(ctx, jobseeker_id, audited=False)
        if allowed(user.role, Permission.REFERRALS)
        else None
    )
    planned = (
        plan.plan_steps_of_person(ctx, jobseeker_id)
        if allowed(user.role, Permission.PLAN)
        else None
    )
    return dict(row=row, profile=profile, identity=person.identity, news=news,
                language_names=language_names(lang, [s.language for s in profile.languages]),
                education_levels=EDUCATION_LEVELS,
                handoffs=handed, requests=asked, other_role=other_role.value,
                vacancies=vacancies,
                follow_ups=follow_ups, supports=supports.on(today_in_finland(ctx.now)),
                can_follow_up=allowed(user.role, Permission.FOLLOW_UP),
                page_errors=PAGE_ERRORS, proposal_forms=PROPOSAL_FORMS,
                notice_sections=NOTICE_SECTIONS,
                timeline=[(e.at, timeline_text(e, lang, titles)) for e in happened],
                can_answer=allowed(user.role, Permission.ANSWER_CANDIDATE_REQUESTS),
                capacities=capacities(profile, lang, awaited_statements(referred or [])),
                answer=answer, scale=matching.score_scale(ctx), matches_on_page=MATCHES_ON_PAGE,
                left_out=left_out, left_out_ids={x.task_id for x in left_out},
                proposed_tasks=proposals.open_proposals_by_task(ctx, jobseeker_id),
                titles=titles, proposals=history,
                n_proposals=n_proposals,
                # The steps this user records (the work-ability coordinator: care, education,
                # another service); ``ended``: the proposals nobody can add to any more.
                next_steps={p.id: [k.value for k in next_steps([e.kind for e in p.events])
                                   if records_outcome(user.role, k) and not p.withdrawn_at]
                            for p in history},
                ended={p.id for p in history if proposals.ended(p)},
                # A proposal made in error, or no longer wanted, is withdrawn before any step.
                withdrawable={p.id for p in history if not p.events and not p.withdrawn_at
                              and allowed(user.role, Permission.PROPOSE)},
                # Whose latest step this user may undo (a kind of step their role records).
                undoable={p.id for p in history
                          if p.events and records_outcome(user.role, p.events[-1].kind)},
                decline_reasons=[r.value for r in DeclineReason],
                can_override=allowed(user.role, Permission.OVERRIDE),
                can_propose=allowed(user.role, Permission.PROPOSE),
                message=message if message in PAGE_MESSAGES else "",
                refused=refused,
                episodes=journeys, episode_sent=episode_sent or {}, errors=errors or [],
                contacts=met, contact_sent=contact_sent or {}, contacts_on_page=CONTACTS_ON_PAGE,
                contact_kinds=[k.value for k in ContactKind],
                referrals=referred, referral_sent=referral_sent or {},
                referral_kinds=[k.value for k in ReferralKind],
                referral_outcomes=[o.value for o in ReferralOutcome],
                plan_steps=planned, plan_step_sent=plan_step_sent or {},
                plan_whos=[w.value for w in PlanWho],
                characteristic_groups=characteristic_groups(lang),
                characteristic_names={cid: c.name(lang) for cid, c in CHARACTERISTICS.items()},
                rated_ids=set(profile.capacities),
                today=today_in_finland(ctx.now), referral_sources=[r.value for r in ReferralSource],
                paths=[p.value for p in ContinuationPath])  # fmt: skip
