"""A section of the profile saved from the editor's form: a rating whose level (or source,
statement, kilograms) changed while its date was left as stored is a new assessment, dated the
day it is saved; a date given with it is kept; a rating left as it was keeps its own date; a
physician's statement keeps the statement's date."""

from __future__ import annotations

from datetime import UTC, datetime

from api.http.csrf import SESSION
from features.catalogue import CHARACTERISTICS
from features.schemas.dates import today_in_finland
from tests.test_api import auth
from tests.test_web_security import _csrf


def _form(ratings: dict[str, dict], group: str, csrf: str) -> dict[str, str]:
    """The editor's form of ``group`` holding ``ratings`` as they are."""
    form = {"csrf": csrf}
    for cid, c in CHARACTERISTICS.items():
        if c.group.value != group or cid not in ratings:
            continue
        r = ratings[cid]
        form |= {f"level_{cid}": str(r["level"]), f"source_{cid}": r["source"],
                 f"date_{cid}": r["assessed_on"]}  # fmt: skip
        if r.get("hard_limit"):
            form[f"stmt_{cid}"] = "restriction"
        elif r.get("recommended"):
            form[f"stmt_{cid}"] = "recommendation"
        if r.get("kilograms") is not None:
            form[f"kg_{cid}"] = str(r["kilograms"])
        if r.get("reference"):
            form[f"ref_{cid}"] = r["reference"]
    return form


def _stored(client, headers, jid: int) -> dict[str, dict]:
    return client.get(f"/jobseekers/{jid}", headers=headers).json()["profile"]["capacities"]


def test_a_changed_rating_left_with_its_old_date_is_dated_today_and_a_given_date_is_kept(service):
    client, tokens, _area, mine, _engine = service
    headers = auth(tokens["work_ability"])
    today = today_in_finland(datetime.now(UTC)).isoformat()  # the service's day
    # A person with two coordinator's ratings of one group, both dated before today.
    found = None
    for jid in mine:
        ratings = _stored(client, headers, jid)
        for group in {c.group.value for c in CHARACTERISTICS.values()}:
            rated = [cid for cid, r in ratings.items()
                     if CHARACTERISTICS[cid].group.value == group and r["source"] == "coordinator"
                     and r["assessed_on"] < today and 1 <= r["level"] <= 3]  # fmt: skip
            if len(rated) >= 2:
                found = (jid, group, rated[0], rated[1], ratings)
                break
        if found:
            break
    assert found, "the tiny world has a person with two coordinator's ratings in one group"
    jid, group, changed, untouched, ratings = found
    client.cookies.set(SESSION, tokens["work_ability"])
    url = f"/ui/jobseekers/{jid}/edit"
    form = _form(ratings, group, _csrf(client.get(url).text))
    old = ratings[changed]["assessed_on"]
    form[f"level_{changed}"] = str(ratings[changed]["level"] + 1)
    saved = client.post(f"{url}/{group}", data=form, follow_redirects=False)
    assert saved.status_code == 303, saved.text
    after = _stored(client, headers, jid)
    assert after[changed]["level"] == ratings[changed]["level"] + 1
    assert after[changed]["assessed_on"] == today != old
    assert after[untouched] == ratings[untouched]  # left as it was: its own date

    # Saved again unchanged: nothing is redated.
    form = _form(after, group, _csrf(client.get(url).text))
    assert client.post(f"{url}/{group}", data=form, follow_redirects=False).status_code == 303
    assert _stored(client, headers, jid) == after

    # Changed with a date of its own (an earlier assessment recorded now): that date is kept.
    form[f"level_{changed}"] = str(ratings[changed]["level"])
    form[f"date_{changed}"] = "2026-01-15"
    form["csrf"] = _csrf(client.get(url).text)
    assert client.post(f"{url}/{group}", data=form, follow_redirects=False).status_code == 303
    again = _stored(client, headers, jid)
    assert again[changed]["level"] == ratings[changed]["level"]
    assert again[changed]["assessed_on"] == "2026-01-15"


def test_a_corrected_physicians_statement_keeps_the_statements_date(service):
    """A statement's date is the physician's: a level or kilograms mistyped from it and
    corrected is not a new assessment of today."""
    client, tokens, _area, mine, _engine = service
    headers = auth(tokens["work_ability"])
    found = None
    for jid in mine:
        ratings = _stored(client, headers, jid)
        for cid, r in ratings.items():
            if r["source"] == "physician" and 1 <= r["level"] <= 3:
                found = (jid, cid, ratings)
                break
        if found:
            break
    assert found, "the tiny world has a physician's statement of someone in the area"
    jid, cid, ratings = found
    group = CHARACTERISTICS[cid].group.value
    client.cookies.set(SESSION, tokens["work_ability"])
    url = f"/ui/jobseekers/{jid}/edit"
    form = _form(ratings, group, _csrf(client.get(url).text))
    form[f"level_{cid}"] = str(ratings[cid]["level"] + 1)
    saved = client.post(f"{url}/{group}", data=form, follow_redirects=False)
    assert saved.status_code == 303, saved.text
    after = _stored(client, headers, jid)[cid]
    assert after["level"] == ratings[cid]["level"] + 1
    assert after["assessed_on"] == ratings[cid]["assessed_on"]
