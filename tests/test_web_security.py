"""CSRF, log-in throttling, rate limits by identity, security headers and logs without
personal data — each as the attacker of the security review tried it."""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime
from unittest.mock import patch
from urllib.parse import quote

import sqlalchemy as sa
from httpx import Response
from starlette.testclient import TestClient

from api.auth.login_throttle import (
    FREE_PER_ADDRESS,
    FREE_PER_NAME,
    LONGEST_WAIT_SECONDS,
    wait_after,
)
from api.http.csrf import SESSION
from api.storage.tables import CrmNoteRow, LoginAttemptRow, UserRow
from tests.conftest import api_client
from tests.test_api import audit_rows, auth


def _csrf(page_html: str) -> str:
    found = re.search(r'name="csrf" value="([0-9a-f]+)"', page_html)
    assert found, "the form carries a CSRF token"
    return found.group(1)


def _web_login(client, username="admin", password="correct horse 1"):
    page = client.get("/ui/login")
    return client.post(
        "/ui/login",
        data={"username": username, "password": password, "csrf": _csrf(page.text)},
        follow_redirects=False,
    )


def test_web_forms_need_the_token_and_this_sites_origin(service):
    client, tokens, area, mine, engine = service
    page = client.get("/ui/login")
    token = _csrf(page.text)
    # Log-in without the token (a cross-site log-in post swapping the victim's session).
    forged = client.post("/ui/login", data={"username": "admin", "password": "correct horse 1"})
    assert forged.status_code == 403 and "Lomaketta ei hyväksytty" in forged.text
    assert "tasma_session" not in forged.cookies
    other_origin = client.post(
        "/ui/login",
        data={"username": "admin", "password": "correct horse 1", "csrf": token},
        headers={"Origin": "http://evil.example"},
    )
    assert other_origin.status_code == 403
    assert _web_login(client).status_code == 303
    # A Rekrypiste's note, forged from another origin of the same site, is not stored.
    with engine.begin() as c:
        c.execute(
            sa.update(UserRow)
            .where(UserRow.name == "rekry")
            .values(
                password_hash=c.scalar(
                    sa.select(UserRow.password_hash).where(UserRow.name == "admin")
                )
            )
        )
    client.cookies.clear()
    assert _web_login(client, "rekry").status_code == 303
    with engine.connect() as c:
        notes = c.scalar(sa.select(sa.func.count()).select_from(CrmNoteRow))
    employer = client.get("/ui/employers/1")
    note = {"text": "MARKER forged", "channel": "phone"}
    for headers, body in (
        ({"Origin": "http://notes.evil.example"}, note | {"csrf": _csrf(employer.text)}),
        ({}, note),
        ({}, note | {"csrf": "0" * 64}),
    ):
        response = client.post("/ui/employers/1/notes", data=body, headers=headers)
        assert response.status_code == 403, response.status_code
    ok = client.post(
        "/ui/employers/1/notes",
        data=note | {"csrf": _csrf(employer.text)},
        headers={"Origin": "http://testserver"},
        follow_redirects=False,
    )
    assert ok.status_code == 303
    with engine.connect() as c:
        assert c.scalar(sa.select(sa.func.count()).select_from(CrmNoteRow)) == notes + 1


def _notes(engine) -> int:
    with engine.connect() as c:
        return c.scalar(sa.select(sa.func.count()).select_from(CrmNoteRow))


def test_a_page_is_only_for_a_live_session_of_a_role_with_its_permission(service):
    """Each page gets its context in one parameter (``page_context_for``). No session, or an
    ended one: the log-in page, which comes back to the page asked for. A role without the
    page's permission: no such page (404). The right role: the page, read as that user. A
    form's CSRF token is checked before who sent it; the page's own input after, so that a
    page hidden from a role does not tell it what the page takes."""
    client, tokens, area, mine, engine = service
    assert _web_login(client).status_code == 303
    ended = client.cookies[SESSION]
    client.post("/ui/logout", data={"csrf": _csrf(client.get("/ui/rulesets").text)})
    sessions = tokens | {"ended": ended}

    def visit(
        who: str | None, path: str, form: dict[str, str] | None = None, signed: bool = True
    ) -> Response:
        client.cookies.clear()
        if who is not None:
            client.cookies.set(SESSION, sessions[who])
        if form is None:
            return client.get(path, follow_redirects=False)
        if signed:  # the token the visitor's own pages carry (a pre-session's, logged out)
            form = form | {"csrf": _csrf(client.get("/ui/login").text)}
        return client.post(path, data=form, follow_redirects=False)

    def to_log_in(path: str) -> str:
        return f"/ui/login?next={quote(path, safe='')}"

    for path in ("/ui/jobseekers?status=active&page=2", "/ui/jobseekers?page=0",
                 "/ui/employers/1/tasks/1/what-if", "/ui/rulesets/compare"):  # fmt: skip
        for who in (None, "ended"):
            answer = visit(who, path)
            assert (answer.status_code, answer.headers["location"]) == (303, to_log_in(path))
    for who, path in (("rekrypiste", "/ui/jobseekers"), ("rekrypiste", "/ui/jobseekers?page=0"),
                      ("coordinator", "/ui/rulesets/compare")):  # fmt: skip
        answer = visit(who, path)
        assert answer.status_code == 404 and "<h1>Sivua ei löydy</h1>" in answer.text, path
    assert visit("coordinator", "/ui/jobseekers?page=0").status_code == 422
    page = visit("coordinator", "/ui/jobseekers")
    assert page.status_code == 200 and "<h1>Omat asiakkaat" in page.text
    assert [r.actor for r in audit_rows(engine, action="list_jobseekers")] == ["coord"]

    notes = _notes(engine)
    path, note = "/ui/employers/1/notes", {"text": "MARKER", "channel": "phone"}
    forged = visit(None, path, note, signed=False)
    assert forged.status_code == 403 and "Lomaketta ei hyväksytty" in forged.text
    assert visit("analyst", path, note, signed=False).status_code == 403
    assert visit(None, path, note).headers["location"] == to_log_in(path)
    for form in (note, {"channel": "phone"}):  # a form the role may not send, whole or not
        assert visit("analyst", path, form).status_code == 404
    assert _notes(engine) == notes
    assert visit("rekrypiste", path, note).headers["location"] == "/ui/employers/1?message=note"
    with engine.connect() as c:
        assert c.scalar(sa.select(CrmNoteRow.author).where(CrmNoteRow.text == "MARKER")) == "rekry"


def _from(client, address: str) -> TestClient:
    """The same service, reached from another client address."""
    return TestClient(client.app, client=(address, 40000))


def _token(client, username: str, password: str):
    return client.post("/auth/token", json={"username": username, "password": password})


def test_delays_grow_after_the_free_tries_up_to_a_quarter_hour() -> None:
    waits = [wait_after(n, FREE_PER_NAME) for n in range(1, 30)]
    assert waits[:FREE_PER_NAME] == [0] * FREE_PER_NAME
    assert waits[FREE_PER_NAME : FREE_PER_NAME + 4] == [1, 2, 4, 8]
    assert waits == sorted(waits) and waits[-1] == LONGEST_WAIT_SECONDS


def test_a_stranger_guessing_a_name_cannot_lock_its_owner_out(service):
    """The clock stands still for the log-ins (the wait's length is tested elsewhere): on two
    busy cores, the seconds between the stranger's tries and the page outlasted a 1 s wait."""
    frozen = datetime.now(UTC)

    class Clock(datetime):
        @classmethod
        def now(cls, tz=None):  # type: ignore[override]
            return frozen

    with patch("api.auth.service.datetime", Clock):
        _stranger_cannot_lock_out(service)


def _stranger_cannot_lock_out(service):
    client, tokens, area, mine, engine = service
    stranger = _from(client, "203.0.113.7")
    statuses = [_token(stranger, "admin", f"guess {i}").status_code for i in range(12)]
    # Three free tries, the fourth failure makes the name wait at that address; from then on
    # nothing is checked there until the wait is over — a right guess included.
    assert statuses[: FREE_PER_NAME + 1] == [401] * (FREE_PER_NAME + 1)
    assert set(statuses[FREE_PER_NAME + 1 :]) == {429}
    held = _token(stranger, "admin", "correct horse 1")
    assert held.status_code == 429 and int(held.headers["retry-after"]) >= 1
    owner = _token(_from(client, "198.51.100.20"), "admin", "correct horse 1")
    assert owner.status_code == 200, "the owner, elsewhere, is not held"
    page = _web_login(_from(client, "198.51.100.21"))
    assert page.status_code == 303
    stranger_page = _web_login(stranger)
    assert stranger_page.status_code == 429 and "Yritä uudelleen" in stranger_page.text
    assert audit_rows(engine, action="login_throttled")


def test_unknown_names_are_counted_and_answered_like_known_ones(service):
    client, *_ = service
    answers = {}
    for name, address in (("admin", "203.0.113.11"), ("no.such.person", "203.0.113.12")):
        attacker = _from(client, address)
        replies = [_token(attacker, name, "wrong") for _ in range(FREE_PER_NAME + 2)]
        answers[name] = [
            (r.status_code, r.json()["error"], r.json()["message"], "retry-after" in r.headers)
            for r in replies
        ]
    assert answers["admin"] == answers["no.such.person"]
    assert answers["admin"][-1][0] == 429


def test_many_names_from_one_address_wait_but_familiar_names_do_not(service):
    client, *_ = service
    office = _from(client, "192.0.2.50")
    assert _token(office, "admin", "correct horse 1").status_code == 200
    statuses = [_token(office, f"nobody{i}", "x").status_code for i in range(FREE_PER_ADDRESS + 2)]
    assert statuses[:FREE_PER_ADDRESS] == [401] * FREE_PER_ADDRESS and statuses[-1] == 429
    assert _token(office, "someone.new", "x").status_code == 429
    assert _token(office, "admin", "correct horse 1").status_code == 200, (
        "a name that logged in from the address lately is not held by the address's count"
    )
    elsewhere = _from(client, "192.0.2.51")
    assert _token(elsewhere, "someone.new", "x").status_code == 401


def test_every_worker_counts_the_same_failures_and_nothing_typed_is_stored(service):
    client, tokens, area, mine, engine = service
    second_worker = api_client(str(engine.url.render_as_string(hide_password=False)))
    workers = [_from(client, "203.0.113.30"), _from(second_worker, "203.0.113.30")]
    statuses = [
        _token(workers[i % 2], "MARKER.name", "MARKER.password").status_code
        for i in range(FREE_PER_NAME + 2)
    ]
    assert statuses[-1] == 429, statuses
    with engine.connect() as c:
        keys = c.scalars(sa.select(LoginAttemptRow.key)).all()
        stored = " ".join(str(v) for row in c.execute(sa.select(LoginAttemptRow)) for v in row)
    assert keys and all(re.fullmatch(r"[0-9a-f]{64}", k) for k in keys)
    assert "MARKER" not in stored and "203.0.113" not in stored


def test_failures_from_one_address_are_throttled_whatever_the_name(service):
    client, *_ = service
    statuses = [
        client.post("/auth/token", json={"username": f"nobody{i}", "password": "x"}).status_code
        for i in range(FREE_PER_ADDRESS + 2)
    ]
    assert statuses[0] == 401 and statuses[-1] == 429


def test_rate_limit_is_per_user_and_per_address_not_per_header(engine, database_url):
    client = api_client(database_url, rate_limit_per_minute=10, warm_index=False)
    codes = [client.get("/me", headers=auth(f"tsm_made_up_{i:04d}")).status_code for i in range(12)]
    assert codes[:10] == [401] * 10 and codes[-1] == 429, "a new header buys no allowance"


def test_every_response_carries_security_headers(service):
    client, tokens, *_ = service
    for path, headers in (
        ("/ui/login", {}),
        ("/health", {}),
        ("/me", auth(tokens["coordinator"])),
        ("/nowhere", {}),
    ):
        response = client.get(path, headers=headers)
        assert response.headers["cache-control"] == "no-store", path
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "same-origin"
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


def test_database_errors_never_log_the_values(service, caplog):
    client, tokens, area, mine, engine = service
    from api.storage.engine import make_engine

    # Fault injection: a statement fails with personal data among its parameters.
    failing = make_engine(str(engine.url.render_as_string(hide_password=False)))
    marker = "MARKER.Virtanen@example.fi"
    with caplog.at_level(logging.DEBUG):
        try:
            with failing.begin() as c:
                c.execute(sa.text("INSERT INTO no_such_table VALUES (:email)"), {"email": marker})
        except sa.exc.DBAPIError as err:
            logging.getLogger("tasma.test").error("failed: %s", err)
    assert marker not in caplog.text
    failing.dispose()


def test_tokens_can_be_ended_and_users_switched_off(service):
    client, tokens, area, mine, engine = service
    admin = auth(tokens["admin"])
    me = auth(tokens["analyst"])
    assert client.delete("/auth/token", headers=me).status_code == 204
    assert client.get("/me", headers=me).status_code == 401
    coordinator = auth(tokens["coordinator"])
    assert client.delete("/users/coord/tokens", headers=coordinator).status_code == 403
    assert client.delete("/users/coord/tokens", headers=admin).status_code == 204
    assert client.get("/me", headers=coordinator).status_code == 401
    assert client.post("/users/rekry/deactivate", headers=admin).status_code == 204
    assert client.get("/me", headers=auth(tokens["rekrypiste"])).status_code == 401
    assert client.post("/users/nobody/deactivate", headers=admin).status_code == 404
    assert {r.action for r in audit_rows(engine, actor="admin")} >= {
        "revoke_tokens",
        "deactivate_user",
    }
    assert audit_rows(engine, action="revoke_token", actor="analyst")


def test_the_cli_switches_users_off_and_ends_tokens(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from api.auth.setup import add_user
    from api.cli import app
    from api.core.security import Role
    from api.storage.engine import make_engine, transaction
    from api.storage.migrate import upgrade
    from api.storage.tables import TokenRow

    url = f"sqlite:///{tmp_path / 'users.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    engine = make_engine(url)
    upgrade(engine)
    with transaction(engine) as s:
        add_user(s, name="laina", role=Role.ANALYST, password="salasana-123")
    runner = CliRunner()
    revoked = runner.invoke(app, ["users", "revoke", "laina"])
    assert revoked.exit_code == 0 and "1 tokens of laina ended" in revoked.output
    off = runner.invoke(app, ["users", "deactivate", "laina"])
    assert off.exit_code == 0
    missing = runner.invoke(app, ["users", "deactivate", "nobody"])
    assert missing.exit_code != 0 and "no user named 'nobody'" in missing.output
    named = runner.invoke(app, ["users", "set-contact", "laina", "--display-name",
                                "Laina  Esimerkki", "--phone", "040 123 4567"])  # fmt: skip
    assert named.exit_code == 0 and "shown to clients as Laina Esimerkki" in named.output
    bad = runner.invoke(app, ["users", "set-contact", "laina", "--display-name", "L",
                              "--phone", "soita"])  # fmt: skip
    assert bad.exit_code == 2 and "--phone" in bad.output
    with engine.connect() as c:
        shown = c.execute(sa.select(UserRow.display_name, UserRow.work_phone)
                          .where(UserRow.name == "laina")).one()  # fmt: skip
    assert tuple(shown) == ("Laina Esimerkki", "040 123 4567")
    with engine.connect() as c:
        assert not c.scalar(sa.select(UserRow.active).where(UserRow.name == "laina"))
        ends = c.scalars(sa.select(TokenRow.expires_at)).all()
    assert ends and all(end.replace(tzinfo=UTC) <= datetime.now(UTC) for end in ends)
    engine.dispose()


def test_streamed_bodies_and_headers_are_limited_before_any_route(service):
    client, tokens, *_ = service

    def stream(total, piece=64_000):
        sent = 0
        while sent < total:
            yield b"x" * piece
            sent += piece

    big = client.post(
        "/jobseekers",
        content=stream(6_000_000),
        headers={"content-type": "application/json"},  # no token: refused before auth
    )
    assert big.status_code == 413
    small = client.post(
        "/auth/token",
        content=stream(128, piece=64),
        headers={"content-type": "application/json"},
    )
    assert small.status_code == 422, "a small streamed body still reaches the route"
    huge = client.get("/health", headers={"X-Padding": "a" * 40_000})
    assert huge.status_code == 431 and huge.json()["error"] == "headers_too_large"
    # A browser with too large cookies is shown a page in its language that says what to do;
    # nothing of the oversized headers (a session among them) is read.
    crowded = client.get("/ui/jobseekers", headers={
        "cookie": f"lang=en; {SESSION}={tokens['coordinator']}; big={'a' * 40_000}"})  # fmt: skip
    assert crowded.status_code == 431 and crowded.headers["content-type"].startswith("text/html")
    assert "<h1>The request is too large</h1>" in crowded.text and "cookies" in crowded.text
    assert "Log out" not in crowded.text and "Kirjaudu ulos" not in crowded.text
    finnish = client.get("/ui/", headers={"X-Padding": "a" * 40_000})
    assert finnish.status_code == 431 and "Pyyntö on liian suuri" in finnish.text
    # At a web UI address the browser is shown the UI's page, in Finnish, with the way back to
    # the form: streamed or declared, never the API's JSON, and nothing read or saved.
    client.cookies.set(SESSION, tokens["coordinator"])
    for body in (stream(6_000_000), b"x" * 6_000_000):
        page = client.post("/ui/jobseekers/import", content=body,
                           headers={"content-type": "multipart/form-data; boundary=x",
                                    "referer": "http://testserver/ui/jobseekers/import"})  # fmt: skip
        assert page.status_code == 413 and page.headers["content-type"].startswith("text/html")
        assert "liian suuri" in page.text and '"error"' not in page.text
        assert 'href="/ui/jobseekers/import"' in page.text  # back to the form
        # … through the browser's history, where what was typed is still there.
        assert "data-history-back" in page.text and "kirjoittamasi on yhä siellä" in page.text
    elsewhere = client.post("/ui/jobseekers/import", content=b"x" * 6_000_000,
                            headers={"referer": "https://evil.example/ui/x"})  # fmt: skip
    assert elsewhere.status_code == 413 and "evil.example" not in elsewhere.text
    assert 'href="/ui/x"' not in elsewhere.text
    # The page's own address shows nothing of the kind unless the guard sent the browser there.
    assert client.get("/ui/refused?status=500").status_code == 404


def test_an_unknown_user_name_costs_the_same_password_check(service, monkeypatch):
    """User names cannot be told apart by timing: a wrong name runs the same argon2
    verification as a wrong password (counted, not timed)."""
    import api.auth.service as auth_service

    client, *_ = service
    calls = []
    real = auth_service.verify_password
    monkeypatch.setattr(auth_service, "verify_password", lambda *a: calls.append(a) or real(*a))
    client.post("/auth/token", json={"username": "admin", "password": "wrong one"})
    client.post("/auth/token", json={"username": "no.such.user", "password": "wrong one"})
    assert len(calls) == 2


def test_after_log_in_only_pages_of_this_ui_are_a_destination():
    from api.auth.pages import same_site_next

    assert same_site_next("/ui/jobseekers/12?message=saved") == "/ui/jobseekers/12?message=saved"
    for elsewhere in (None, "", "/", "//evil.example/ui/", "https://evil.example/ui/",
                      "/ui//evil.example", "/ui/\\evil.example", "/ui/login?next=/ui/x",
                      "/docs", "/ui/x\r\nSet-Cookie: a=b"):  # fmt: skip
        assert same_site_next(elsewhere) is None, elsewhere


def test_a_browser_never_gets_json_for_a_web_ui_address(service):
    from fastapi.testclient import TestClient

    client, tokens, area, mine, engine = service
    # Signed in: a page's own input is judged after its visitor.
    client.cookies.set(SESSION, tokens["rekrypiste"])
    for path, status, heading in (
        ("/ui/no-such-page", 404, "Sivua ei löydy"),
        ("/ui/employers/abc", 422, "Osoite tai tieto ei kelpaa"),
    ):
        answer = client.get(path, follow_redirects=False)
        assert answer.status_code == status
        assert answer.headers["content-type"].startswith("text/html")
        assert f"<h1>{heading}</h1>" in answer.text and 'href="/ui/"' in answer.text
        assert answer.headers["cache-control"] == "no-store"
    # The API keeps answering in JSON.
    assert client.get("/no-such-endpoint").json()["error"] == "not_found"

    # A fault nobody foresaw: the designed page, and nothing of the fault's own text.
    from unittest.mock import patch

    def broken(*_args, **_kwargs):
        raise RuntimeError("secret detail 040-1234567")

    unsafe = TestClient(client.app, raise_server_exceptions=False)
    form = unsafe.get("/ui/login")
    with patch("api.auth.pages.log_in", broken):
        page = unsafe.post("/ui/login", data={"username": "admin", "password": "x",
                                              "csrf": _csrf(form.text)})  # fmt: skip
    assert page.status_code == 500
    assert "<h1>Palvelussa tapahtui virhe</h1>" in page.text
    assert "secret" not in page.text and "Traceback" not in page.text
    # Sent from a page of ours: back to the form through the browser's history, where what
    # was typed is kept (Chromium gives a form's values back on history.back(), no-store too).
    with patch("api.auth.pages.log_in", broken):
        sent = unsafe.post("/ui/login", headers={"referer": "http://testserver/ui/login"},
                           data={"username": "admin", "password": "x", "csrf": _csrf(form.text)})  # fmt: skip
    assert sent.status_code == 500
    assert '<a href="/ui/login" data-history-back>Takaisin lomakkeelle</a>' in sent.text
    assert "kirjoittamasi on yhä siellä" in sent.text
    assert '<script src="/static/back-keeps-input.js" defer></script>' in sent.text
    assert "data-history-back" not in unsafe.get("/ui/no-such-page").text  # nothing was sent


def test_logging_out_ends_the_token_and_is_audited_on_the_web_as_in_the_api(service):
    """One service for both: before, the web page ended its token with a query of its own and
    wrote no audit row."""
    client, tokens, area, mine, engine = service
    assert _web_login(client).status_code == 303
    home = client.get("/ui/rulesets")
    assert home.status_code == 200
    out = client.post("/ui/logout", data={"csrf": _csrf(home.text)}, follow_redirects=False)
    assert out.status_code == 303
    assert client.get("/ui/rulesets", follow_redirects=False).status_code in (303, 307)
    api_out = client.delete("/auth/token", headers=auth(tokens["admin"]))
    assert api_out.status_code == 204
    rows = audit_rows(engine, action="revoke_token")
    assert [r.actor for r in rows] == ["admin", "admin"]
