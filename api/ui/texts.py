"""The web UI's words, Finnish first. One table: templates look words up by key."""

from __future__ import annotations

LANGUAGES = ("fi", "en")

TEXTS: dict[str, tuple[str, str]] = {
    "app_tagline": ("Täsmätyön yhteensovitus", "Matching for tailored work"),
    "login": ("Kirjaudu", "Log in"),
    "logout": ("Kirjaudu ulos", "Log out"),
    "username": ("Käyttäjätunnus", "User name"),
    "password": ("Salasana", "Password"),
    "login_failed": ("Väärä käyttäjätunnus tai salasana.", "Wrong user name or password."),
    "other_language": ("In English", "Suomeksi"),
    "my_jobseekers": ("Omat asiakkaat", "My jobseekers"),
    "search": ("Hae", "Search"),
    "code": ("Tunnus", "Code"),
    "municipality": ("Kunta", "Municipality"),
    "status": ("Tila", "Status"),
    "consent": ("Suostumus", "Consent"),
    "any_status": ("Kaikki tilat", "Any status"),
    "yes": ("kyllä", "yes"),
    "no": ("ei", "no"),
    "active": ("aktiivinen", "active"),
    "paused": ("tauolla", "paused"),
    "placed": ("työllistynyt", "placed"),
    "closed": ("päättynyt", "closed"),
    "profile": ("Toimintakyky", "Functional capacity"),
    "characteristic": ("Ominaisuus", "Characteristic"),
    "level": ("Taso", "Level"),
    "hard_limit": ("Lääkärin rajoitus", "Physician's limit"),
    "hours": ("Tunnit viikossa", "Hours a week"),
    "find_matches": ("Piilotyöpaikat", "Hidden-job matches"),
    "not_matchable": ("Ei ehdoteta", "Not matched"),
    "task": ("Tehtävä", "Task"),
    "employer": ("Työnantaja", "Employer"),
    "score": ("Sopivuus", "Fit"),
    "why": ("Miksi tämä", "Why this"),
    "adjustments": ("Tarvittavat mukautukset", "Adjustments needed"),
    "distance": ("Matka", "Distance"),
    "compare": ("Vertaa profiileja", "Compare profiles"),
    "comparison": ("Toimintakyky ja tehtävän vaatimukset", "Capacity and the task's demands"),
    "capacity": ("Toimintakyky", "Capacity"),
    "demand": ("Vaatimus", "Demand"),
    "after_adjustments": ("mukautusten jälkeen", "after adjustments"),
    "fits": ("sopii", "fits"),
    "adjusted": ("sopii mukautuksin", "fits with adjustments"),
    "tolerated": ("sallitun rajoissa", "within tolerance"),
    "over": ("ylittää", "over"),
    "to_assess": ("arvioitava", "to assess"),
    "under": ("vähän vaativa", "under-demanding"),
    "not_needed": ("ei tarvita", "not needed"),
    "why_not": ("Miksi ei, ja mikä auttaisi", "Why not, and what would help"),
    "fits_already": ("Tehtävä sopii jo.", "The task already fits."),
    "record_proposal": ("Kirjaa ehdotus", "Record a proposal"),
    "proposal_recorded": ("Ehdotus kirjattu.", "Proposal recorded."),
    "back": ("Takaisin", "Back"),
    "rule_set": ("Sääntöversio", "Rule set"),
    "nothing_found": ("Ei sopivia tehtäviä näillä ehdoilla.", "No fitting tasks on these terms."),
    "home_rekrypiste": ("Työnantajat", "Employers"),
    "home_analyst": ("Sääntöversiot", "Rule sets"),
    "version": ("Versio", "Version"),
    "author": ("Tekijä", "Author"),
    "note": ("Muutoksen kuvaus", "Change note"),
    "active_ruleset": ("käytössä", "in use"),
    "sector": ("Toimiala", "Sector"),
}


def texts(lang: str) -> dict[str, str]:
    """The UI's words in ``lang`` (fi or en)."""
    column = 0 if lang == "fi" else 1
    return {key: pair[column] for key, pair in TEXTS.items()}
