"""The web UI's words reached by a code (a status, an outcome, an error's kind, a role…).

Words written in a template are marked there (``_("…")``); these are looked up by key because the
key is data. Every text is an English msgid translated by the gettext catalogues
(``features/i18n``)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from features.i18n import LANGUAGES, N_, gettext_for

__all__ = [
    "LANGUAGES",
    "TEXTS",
    "group_name",
    "metric_name",
    "texts",
]

TEXTS: dict[str, str] = {
    "active": N_("active"),
    "paused": N_("paused"),
    "placed": N_("placed"),
    "closed": N_("closed"),
    "why": N_("Why this"),
    "fits": N_("fits"),
    "adjusted": N_("fits with adjustments"),
    "tolerated": N_("within tolerance"),
    "over": N_("over"),
    "to_assess": N_("to assess"),
    "under": N_("under-demanding"),
    "not_needed": N_("not needed"),
    "phone": N_("phone"),
    "email": N_("email"),
    "visit": N_("visit"),
    "event": N_("event"),
    "hand_over": N_("hand-over"),
    "core": N_("core"),
    "objective_score": N_("The most total score"),
    "objective_people": N_("The most people with a proposal, then the score"),
    "overridden": N_("The task is left out of the suggestions, and the reason recorded."),
    "outcome": N_("Step recorded."),
    "answered": N_("Answer recorded; the asker sees it."),
    "handed_off": N_("Handed over; the other coordinator sees it on their caseload."),
    "taken_over": N_("Taken over: the person is now on your own list."),
    "request_asked": N_("Asked; the candidate's coordinator sees the question on their caseload."),
    "request_already_asked": N_("This was already asked and is waiting for an answer."),
    "answer_yes": N_("yes, they would want it"),
    "answer_no": N_("no"),
    "answer_discuss": N_("needs to be discussed"),
    "network_prospect": N_("prospect"),
    "network_contacted": N_("contacted"),
    "network_interested": N_("interested"),
    "network_partner": N_("cooperating"),
    "network_paused": N_("dormant"),
    "network_declined": N_("declined"),
    "need_vacancy": N_("ordinary vacancy"),
    "need_seasonal": N_("seasonal vacancy"),
    "need_hand_over": N_("tasks to hand over"),
    "urgency_low": N_("not urgent"),
    "urgency_normal": N_("normal"),
    "urgency_urgent": N_("urgent"),
    "need_state_filled": N_("filled"),
    "need_state_closed": N_("closed without filling"),
    "funnel_contacted": N_("contacted"),
    "funnel_interested": N_("interested"),
    "funnel_cooperating": N_("cooperating"),
    "funnel_hired_through_us": N_("hired through us"),
    "plan_saved": N_("The follow-up plan is saved."),
    "visit_planned": N_("The visit is planned."),
    "visit_recorded": N_("The visit is recorded."),
    "support_saved": N_("The support application's state is saved."),
    "follow_up_after_hire": N_(
        "The follow-up is recorded after a hire, and this proposal has not led to one (was the "
        "hire undone?); nothing was saved."
    ),
    "answered_already": N_("The request was answered already; nothing was changed."),
    "support_invalid": N_("Choose a support and its state; nothing was saved."),
    "contract_permanent": N_("permanent"),
    "contract_fixed_term": N_("fixed term"),
    "contract_apprenticeship": N_("apprenticeship"),
    "contract_work_trial": N_("work trial"),
    "with_employee": N_("with the employee"),
    "with_employer": N_("with the employer"),
    "with_both": N_("with the employee and the employer"),
    "support_planned": N_("planned"),
    "support_applied": N_("applied for"),
    "support_granted": N_("granted"),
    "support_declined": N_("not granted"),
    "proposed": N_("Proposal recorded."),
    "already_proposed": N_("This was proposed already; the first proposal stands."),
    "withdrawn": N_("The proposal is withdrawn; the reason is kept with it."),
    "withdraw_refused": N_(
        "The proposal was withdrawn already, or a step was recorded on it meanwhile; nothing "
        "was changed."
    ),
    "hard_limit": N_("over a physician's restriction"),
    "outcome_until_invalid": N_(
        "A last day belongs to a work trial started or extended, and is not before today; "
        "nothing was recorded."
    ),
    "order_attention": N_("most urgent first"),
    "order_name": N_("by name"),
    "order_code": N_("by code"),
    "order_municipality": N_("by municipality"),
    "order_status": N_("by status"),
    "order_last_activity": N_("longest without news first"),
    "sort_name": N_("name"),
    "sort_municipality": N_("municipality"),
    "sort_industry": N_("industry"),
    "decline_tasks_do_not_fit": N_("the tasks do not fit"),
    "decline_hours_or_schedule": N_("hours or schedule"),
    "decline_distance": N_("distance"),
    "decline_not_interested": N_("not interested"),
    "decline_no_capacity_to_supervise": N_("no capacity to supervise"),
    "decline_position_filled": N_("position filled"),
    "decline_health": N_("health"),
    "decline_other": N_("other reason"),
    "error_not_found_title": N_("Page not found"),
    "error_not_found_text": N_(
        "There is no page at this address, or you have no access to it. Check the address or go back to the front page."
    ),
    "error_forbidden_title": N_("No access"),
    "error_forbidden_text": N_("Your role has no access to this. Go back to the front page."),
    "error_conflict_title": N_("It exists already"),
    "error_conflict_text": N_(
        "Something like this is stored already, or it changed at the same time. Nothing was saved: go back, change the name or the data and try again."
    ),
    "error_too_large_title": N_("What was sent is too large"),
    "error_too_large_text": N_("The file or form sent is too large. Nothing was saved."),
    "error_headers_too_large_title": N_("The request is too large"),
    "error_headers_too_large_text": N_(
        "Your browser sent more with the request than the service accepts, usually too many or too large cookies. Nothing was saved. Remove this site's cookies in the browser's settings and log in again."
    ),
    "error_invalid_title": N_("The address or data is not valid"),
    "error_invalid_text": N_(
        "Part of the address or form is not valid (say, an id that should be a number). Nothing was saved: go back to the previous page."
    ),
    "error_busy_title": N_("Too many requests"),
    "error_busy_text": N_("The service is getting too many requests. Wait a moment and try again."),
    "error_unavailable_title": N_("Unavailable just now"),
    "error_unavailable_text": N_(
        "The database cannot be reached or the service is busy. Nothing was saved: try again in a moment."
    ),
    "error_internal_title": N_("Something went wrong"),
    "error_internal_text": N_(
        "The request could not be handled and nothing was saved. The fault has been logged for the administrators. Try again or go back to the front page."
    ),
    "outcome_reason_needed": N_(
        "The reason for declining is missing: choose a reason and record the step again."
    ),
    "outcome_not_allowed": N_(
        "This step cannot be recorded now: it does not follow from the proposal's steps so far."
    ),
    "declined_by_person": N_("declined by the person"),
    "declined_by_employer": N_("declined by the employer"),
    "work_trial_started": N_("work trial started"),
    "hired": N_("hired"),
    "employed_6_months": N_("employed after 6 months"),
    "ended": N_("ended"),
    "work_trial_extended": N_("work trial extended"),
    "education_started": N_("education started"),
    "apprenticeship_started": N_("apprenticeship started"),
    "care_started": N_("rehabilitation, care or sick leave started"),
    "other_service": N_("moved on to another service"),
    "requested": N_("Activation requested from an admin."),
    "activated": N_("Rule set activated."),
    "declined": N_("The activation request was declined; the analyst sees why."),
    "saved": N_("Profile saved."),
    "identity_saved": N_("Name and contact details saved."),
    "handoff_refused": N_("Not taken over: the reason is told to the one who handed it over."),
    "handoff_closed_already": N_(
        "The hand-off was already taken over or refused; nothing was changed."
    ),
    "handoff_waiting_already": N_(
        "A hand-off of this person to that coordinator is waiting already: it is taken over "
        "or refused first. Nothing new was handed over."
    ),
    "undone": N_("The step is undone. It is kept, with your reason, in the person's records."),
    "episode_undone": N_(
        "The step is undone. It is kept, with your reason, in the person's records."
    ),
    "undo_refused": N_(
        "That step cannot be undone now: undo the later steps first, or undo a step that came "
        "from a proposal at the proposal."
    ),
    "taken_on": N_(
        "The client is saved and their service episode started. Next, assess their capacities "
        "in the profile editor."
    ),
    "scope_matching": N_(
        "Matching: their abilities and wishes may be compared with employers' tasks to find "
        "work that fits them."
    ),
    "scope_share_with_employers": N_(
        "Sharing with employers: staff answering an employer's call may offer them as a "
        "candidate, telling only how the work fits and what adjustments and support it needs, "
        "never their health information."
    ),
    "scope_evaluation": N_(
        "Evaluation: their anonymised outcomes may be used to check and improve how well the "
        "suggestions work."
    ),
    "sort_employer": N_("by employer"),
    "sort_title": N_("by task"),
    "sort_hours": N_("most hours first"),
    "model_verdict_better": N_(
        "Orders better than the rules alone: its hit rate's interval lies above zero."
    ),
    "model_verdict_worse": N_(
        "Worse than the rules alone (or its probabilities no better than the base rate): do not put it to use."
    ),
    "model_verdict_unclear": N_("No clear difference from the rules alone."),
    "comparison_waiting": N_("waiting"),
    "comparison_running": N_("running"),
    "comparison_done": N_("done"),
    "comparison_failed": N_("failed"),
    "comparison_interrupted": N_("interrupted"),
    "ruleset_created": N_("The new rule-set version is stored; it is not in use until activated."),
    "restored": N_("The task is suggested again; leaving it out is kept in the history."),
    "self_assessment": N_("self-assessment"),
    "coordinator": N_("coordinator"),
    "role_work_ability_coordinator": N_("work-ability coordinator"),
    "role_company_coordinator": N_("company coordinator"),
    "role_rekrypiste": N_("Rekrypiste"),
    "role_analyst": N_("analyst"),
    "role_admin": N_("administrator"),
    "role_project_manager": N_("project manager"),
    "physician": N_("physician"),
    "optimal": N_("the best combination"),
    "below_minimum_hours": N_("below the wished hours"),
    "no_feasible_task": N_("no fitting tasks"),
    "contact_recorded": N_("The contact is recorded."),
    "contact_met": N_("met in person"),
    "contact_phoned": N_("phoned"),
    "contact_video": N_("video call"),
    "contact_message": N_("message"),
    "contact_cancelled": N_("cancelled by the client"),
    "contact_no_show": N_("did not show up"),
    "contact_not_reached": N_("not reached"),
    "step_open": N_("open"),
    "step_done": N_("done"),
    "step_superseded": N_("superseded by a newer step"),
    "referral_made": N_("The referral is recorded."),
    "referral_closed": N_("The referral is marked answered or cancelled."),
    "referral_closed_already": N_("The referral was already marked answered or cancelled."),
    "referred_to_health_check": N_("health check for the unemployed"),
    "referred_to_physician": N_("occupational physician or physician's statement"),
    "referred_to_psychologist": N_("psychologist"),
    "referred_to_social_services": N_("social services"),
    "referred_to_health_care": N_("health care or mental health services"),
    "referred_to_rehabilitation": N_("rehabilitation"),
    "referred_to_other": N_("other"),
    "referral_state_answered": N_("answered"),
    "referral_state_cancelled": N_("cancelled"),
    "step_planned": N_("The step is added to the client plan."),
    "planned_step_closed": N_("The step is marked done or dropped."),
    "planned_step_closed_already": N_("The step was already marked done or dropped."),
    "plan_who_client": N_("the client"),
    "plan_who_company_coordinator": N_("company coordinator"),
    "plan_who_work_ability_coordinator": N_("work-ability coordinator"),
    "plan_who_other": N_("someone else"),
    "plan_state_open": N_("open"),
    "plan_state_done": N_("done"),
    "plan_state_dropped": N_("dropped"),
    "episode_started": N_("The service episode is started."),
    "episode_recorded": N_("Recorded in the service episode."),
    "episode_paused": N_("paused"),
    "episode_resumed": N_("active again"),
    "episode_outcome": N_("what happened"),
    "episode_ended": N_("the episode ended"),
    "referral_personal_coach": N_("personal coach (omavalmentaja)"),
    "referral_ohjaamo": N_("Ohjaamo"),
    "referral_disability_services": N_("disability services"),
    "referral_social_services": N_("social services"),
    "referral_health_care": N_("health care"),
    "referral_self_referral": N_("came on their own"),
    "referral_other": N_("other"),
    "referral_unknown": N_("not recorded"),
    "path_employed": N_("employed on the open market"),
    "path_wage_subsidised_work": N_("wage-subsidised work"),
    "path_work_trial": N_("work trial"),
    "path_education": N_("education"),
    "path_rehabilitative_work": N_("rehabilitative work activity"),
    "path_sick_leave_or_care": N_("sick leave or care"),
    "path_other_service": N_("another service"),
    "path_job_search": N_("continues job search"),
    "path_not_reached": N_("not reached"),
    "path_stopped_contact": N_("stopped contact"),
    "report_enrolment": N_("Enrolment"),
    "report_ending": N_("Ends and continuation paths"),
    "report_timing": N_("How long it took"),
    "report_work": N_("Proposals, work trials and hires"),
    "report_employers": N_("The employer network"),
    "report_esf": N_("ESF+ common indicators"),
    "report_events": N_("Events and who came"),
    "event_kind_recruitment": N_("recruitment event"),
    "event_kind_job_search": N_("job-search help"),
    "event_kind_info_session": N_("info session"),
    "event_kind_wellbeing": N_("wellbeing or community event"),
    "event_kind_employer_event": N_("employer event or seminar"),
    "event_kind_other": N_("other event"),
    "event_organiser_own": N_("organised by us"),
    "event_organiser_cooperation": N_("in cooperation"),
    "event_recorded": N_("The event is recorded."),
    "event_withdrawn": N_("The event is withdrawn; it is kept, counted nowhere."),
    "wage_subsidy": N_("Wage subsidy"),
    "job_coach": N_("Job coach"),
}


class _Texts(Mapping[str, str]):
    """``TEXTS`` in one language, translated when read (templates write ``t[key]``)."""

    def __init__(self, lang: str) -> None:
        self._gettext = gettext_for(lang)

    def __getitem__(self, key: str) -> str:
        return self._gettext(TEXTS[key])

    def __iter__(self) -> Iterator[str]:
        return iter(TEXTS)

    def __len__(self) -> int:
        return len(TEXTS)


def texts(lang: str) -> Mapping[str, str]:
    """The keyed words in ``lang``."""
    return _Texts(lang)


METRIC_NAMES: dict[str, str] = {
    "hit_rate": N_("Successes among the top %(k)s (hit rate)"),
    "recall": N_("Share of a person's successes among the top %(k)s (recall)"),
    "overrides_recovered": N_(
        "Successful proposals made against the engine that it now puts in its top %(k)s"
    ),
    "ndcg": N_("Ranking quality of the top %(k)s (NDCG)"),
    "mrr": N_("How high the successes rank (MRR)"),
    "coverage_people": N_("People with at least one fitting task"),
    "coverage_tasks": N_("Hand-over tasks with at least one fitting person"),
    "mean_adjustments": N_("Adjustments per suggestion, on average"),
    "distinct_employers": N_("Different employers in a person's list"),
    "distinct_sectors": N_("Different sectors in a person's list"),
    "tolerated_share": N_("Suggestions that rest on tolerated over-demand"),
    "unassessed_share": N_("Suggestions with ratings still to assess"),
    "mean_adjustment_cost": N_("Cost class of the adjustments a suggestion needs, on average"),
    "failed_in_top_k": N_("Failed proposals (declined, ended before a hire) in its top list"),
    "overrides_still_suggested": N_(
        "Tasks coordinators left out with a reason that it still puts in its top list"
    ),
}
"""The evaluation's metrics by their code (``hit_rate@10`` is ``hit_rate`` with k = 10)."""

GROUP_NAMES: dict[str, str] = {
    "age_band": N_("Age"),
    "gender": N_("Gender"),
    "mother_tongue": N_("Mother tongue"),
    "female": N_("women"),
    "male": N_("men"),
    "other": N_("other"),
    "undisclosed": N_("not told"),
    "unknown": N_("not known"),
    "fi": N_("Finnish"),
    "sv": N_("Swedish"),
}
"""The fairness report's attributes and groups; age bands (``25-34``) are shown as they are."""


def metric_name(code: str, lang: str) -> str:
    """``hit_rate@10`` in words; an unknown code is shown as it is."""
    name, _at, k = code.partition("@")
    message = METRIC_NAMES.get(name)
    return gettext_for(lang)(message) % {"k": k} if message else code


def group_name(code: str, lang: str) -> str:
    message = GROUP_NAMES.get(code)
    return gettext_for(lang)(message) if message else code.replace("-", "–")
