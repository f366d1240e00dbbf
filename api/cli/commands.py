"""The ``tasma`` command: the Typer app, its operator commands and ``main``. Validate, load,
delegate, format; no arithmetic lives here."""

from __future__ import annotations

import errno
import json
import os
import sys
import time
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from api.auth.setup import mark_demo
from api.cli.context import AsOption, acting
from api.cli.market import register as register_market
from api.cli.matching import register as register_matching
from api.cli.reports import register as register_reports
from api.cli.rules import register as register_rules
from api.core.security import Permission, Role
from api.employers import service as employers
from api.employers.spreadsheet import sheet_format, write_sheet
from api.storage import repository
from api.storage.bulk import clear_all, load_tables, rows_held
from api.storage.engine import database_url, make_engine, transaction
from api.storage.migrate import (
    current_revision,
    downgrade,
    grant_app_role,
    head_revision,
    set_audit_retention,
    upgrade,
)
from features.catalogue.describe import catalogue_document, catalogue_text
from features.demo import SIZES, WorldSize, build_world
from features.errors import InvalidInputError, TasmaError
from features.i18n import LANGUAGES
from features.ratko import format_rows
from features.schemas.dates import today_in_finland

ROLE_NAMES = tuple(r.value for r in Role)

app = typer.Typer(
    name="tasma",
    help="Täsmä: match jobseekers with partial work ability to tasks carved out of jobs.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

F = TypeVar("F", bound=Callable[..., Any])


def _fail(message: str, code: int = 1) -> typer.Exit:
    typer.secho(f"error: {message}", err=True, fg=typer.colors.RED)
    return typer.Exit(code)


def _friendly_errors(func: F) -> F:
    """Domain and database errors become one clear line and a non-zero exit, never a trace."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except InvalidInputError as err:
            for item in err.errors:
                typer.secho(f"  {item}", err=True)
            raise _fail(str(err).split(":")[0]) from None
        except TasmaError as err:
            raise _fail(str(err)) from None
        except OperationalError as err:
            raise _fail(f"cannot use the database {_safe_url()}: {err.orig}") from None
        except SQLAlchemyError as err:
            raise _fail(f"database error: {err}") from None

    return wrapper  # type: ignore[return-value]


def _write_index_snapshot(engine: Any) -> None:
    """Read the match index back from the database once and save its snapshot, so the
    service's first start after a bulk load is as fast as any other."""
    from api.core.runtime import data_version
    from api.core.settings import Settings
    from api.storage.loading import load_index

    with transaction(engine) as session:
        version, instance, _ = data_version(session)
        index = load_index(session.connection())
    if instance:
        Settings().index_snapshots().save(instance, version, index)


def _safe_url() -> str:
    from sqlalchemy.engine import make_url

    return make_url(database_url()).render_as_string(hide_password=True)


@app.command()
@_friendly_errors
def migrate(
    down_to: Annotated[
        str | None, typer.Option(help="Downgrade to this revision ('base' removes every table).")
    ] = None,
    app_role: Annotated[
        str | None,
        typer.Option(
            "--app-role",
            envvar="TASMA_APP_DB_ROLE",
            help="PostgreSQL: the service's login role, granted the data but the audit trail "
            "only to read and append (run as the schema's owner).",
        ),
    ] = None,
) -> None:
    """Create or upgrade the database schema (Alembic migrations)."""
    engine = make_engine()
    if down_to:
        downgrade(engine, down_to)
    else:
        upgrade(engine)
        from api.core.settings import Settings

        # PostgreSQL: the audit trail's retention, in the table only the owner may write
        set_audit_retention(engine, Settings().audit_retention_days)
        if app_role:
            try:
                grant_app_role(engine, app_role)
            except ValueError as err:
                raise _fail(str(err), 2) from None
            typer.echo(f"role {app_role}: data read/write, audit trail read and append only")
    typer.echo(f"database {_safe_url()} at revision {current_revision(engine) or 'base'}")


def _size(count: int) -> str:
    if count < 1000:
        return f"{count} bytes"
    value = float(count)
    for unit in ("kB", "MB", "GB"):
        value /= 1000
        if value < 1000 or unit == "GB":
            break
    return f"{value:.1f} {unit}"


def _describe_backup(summary: Any) -> None:
    """What a backup holds and what was checked to say so (a ``BackupSummary``)."""
    state = (
        f"older than this version's {summary.head}: a restore migrates it"
        if summary.older
        else "this version's newest"
    )
    typer.echo(f"  {summary.kind} backup, {_size(summary.bytes)}, schema revision "
               f"{summary.revision} ({state})")  # fmt: skip
    typer.echo(f"  {summary.total_rows:,} rows in {len(summary.rows)} tables")
    typer.echo(f"  sha256 {summary.sha256}")
    for item in summary.checked:
        typer.echo(f"  checked: {item}")
    for item in summary.not_checked:
        typer.echo(f"  not checked: {item}")


@app.command("backup")
@_friendly_errors
def backup_command(
    path: Annotated[
        Path | None,
        typer.Argument(
            help="The file to write (an existing one is replaced only by a complete, checked "
            "backup)."
        ),
    ] = None,
    verify: Annotated[
        Path | None,
        typer.Option(
            "--verify",
            metavar="PATH",
            help="Check this backup file instead of writing one (no database is touched).",
        ),
    ] = None,
) -> None:
    """Back up the database to a file only its owner can read, read back and checked before it
    is kept; works while the service runs. PostgreSQL needs pg_dump (postgresql-client)."""
    from api.storage.backup import backup
    from api.storage.backup import verify as verify_file

    if (path is None) == (verify is None):
        raise _fail("give the file to write (tasma backup PATH) or to check "
                    "(tasma backup --verify PATH)", 2)  # fmt: skip
    if verify is not None:
        checked = verify_file(verify)  # refuses a bad file before a word of praise
        typer.echo(f"{verify} is a good backup:")
        _describe_backup(checked)
        return
    assert path is not None
    summary = backup(make_engine(), path)
    typer.echo(f"wrote {summary.path}, a backup of {_safe_url()}:")
    _describe_backup(summary)
    if not summary.audited:
        typer.echo(f"  not audited: the database is at revision {summary.revision}, older than "
                   "this version's (`tasma migrate` upgrades it)")  # fmt: skip
    typer.echo("not in the backup:")
    for name, why in summary.not_included.items():
        typer.echo(f"  {name}: {why}")


@app.command("restore")
@_friendly_errors
def restore_command(
    path: Annotated[Path, typer.Argument(help="A backup file written by `tasma backup`.")],
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask before replacing.")] = False,
    app_role: Annotated[
        str | None,
        typer.Option(
            "--app-role",
            envvar="TASMA_APP_DB_ROLE",
            help="PostgreSQL: grant the service's login role its rights again (as "
            "`tasma migrate --app-role`); the restore itself leaves grants out.",
        ),
    ] = None,
) -> None:
    """Replace the database with a backup: checked first, refused while the service runs on
    the database, an older backup migrated. Everything returns to the backup's moment, the
    audit trail included."""
    from api.storage.backup import BackupSummary, restore
    from api.storage.engine import data_dir

    def confirm(summary: BackupSummary) -> bool:
        typer.echo(f"{path}:")
        _describe_backup(summary)
        return yes or typer.confirm(
            f"Replace everything in {_safe_url()} with this backup? Whatever was recorded "
            "after it was made, the audit trail included, is lost",
            default=False,
        )

    result = restore(make_engine(), path, snapshots=data_dir() / "index-cache",
                     app_role=app_role, confirm=confirm)  # fmt: skip
    typer.echo(f"restored {_safe_url()} from {path}: {sum(result.rows.values()):,} rows in "
               f"{len(result.rows)} tables; what it held before is replaced")  # fmt: skip
    if result.migrated_from:
        typer.echo(f"  migrated from revision {result.migrated_from} to {result.revision}")
    if result.set_aside:
        typer.echo(f"  the unreadable database file was kept as {result.set_aside}: delete it "
                   "once it is no longer needed (it may hold personal data)")  # fmt: skip
    typer.echo(f"  {result.snapshots_removed} match-index snapshot file(s) deleted: the service "
               "rebuilds its match index from the restored database when it starts")  # fmt: skip
    typer.echo("  batch runs were left as they were (they describe the data before the restore "
               "until the next run: nightly, or `tasma batch --as USER`)")  # fmt: skip
    typer.echo("  trained models (TASMA_MODELS_DIR) were not touched")
    if app_role:
        typer.echo(f"  role {app_role}: data read/write, audit trail read and append only")


@app.command()
@_friendly_errors
def demo(
    size: Annotated[str, typer.Option(help=f"World size: {', '.join(SIZES)}.")] = "small",
    tasks: Annotated[int | None, typer.Option(min=1, max=200_000, help="Override tasks.")] = None,
    jobseekers: Annotated[
        int | None, typer.Option(min=1, max=100_000, help="Override jobseekers.")
    ] = None,
    proposals: Annotated[
        int | None, typer.Option(min=0, max=200_000, help="Override proposals.")
    ] = None,
    seed: Annotated[int, typer.Option(help="Random seed; the same seed gives the same world.")] = 7,
    replace: Annotated[bool, typer.Option(help="Delete all existing data first.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Build the demo world in the configured database and print what it made."""
    if size not in SIZES:
        raise _fail(f"unknown size {size!r}; choose one of {', '.join(SIZES)}", 2)
    base = SIZES[size]
    chosen = WorldSize(
        tasks=tasks or base.tasks,
        jobseekers=jobseekers or base.jobseekers,
        proposals=base.proposals if proposals is None else proposals,
    )
    engine = make_engine()
    upgrade(engine)
    if held := rows_held(engine):
        if not replace:
            listed = ", ".join(f"{table} {count}" for table, count in held.items())
            raise _fail(
                f"the database already holds data ({listed}); add --replace to start over", 2
            )
        clear_all(engine)
    started = time.perf_counter()
    world = build_world(chosen, seed=seed)
    built = time.perf_counter()
    load_tables(engine, world.tables)
    mark_demo(engine)
    stored = time.perf_counter()
    _write_index_snapshot(engine)
    summary = world.summary() | {
        "database": _safe_url(),
        "build_seconds": round(built - started, 2),
        "store_seconds": round(stored - built, 2),
        "index_snapshot_seconds": round(time.perf_counter() - stored, 2),
    }
    if as_json:
        typer.echo(json.dumps(summary, ensure_ascii=False, indent=2))
        return
    typer.echo(f"Demo world (seed {seed}, as of {summary['as_of']}) in {summary['database']}:")
    for key in ("employers", "roles", "tasks", "hand_over_tasks", "jobseekers", "with_consent",
                "physician_hard_limits", "proposals"):  # fmt: skip
        typer.echo(f"  {key.replace('_', ' '):<22} {summary[key]:>8}")
    outcomes = summary["outcomes"]
    assert isinstance(outcomes, dict)
    typer.echo("  outcomes: " + ", ".join(f"{k} {v}" for k, v in outcomes.items()))
    typer.echo(
        f"  built in {summary['build_seconds']} s, stored in {summary['store_seconds']} s, "
        f"match-index snapshot in {summary['index_snapshot_seconds']} s"
    )


@app.command()
def catalogue(
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
    lang: Annotated[str, typer.Option(help="Language of the text listing: fi or en.")] = "fi",
) -> None:
    """The vocabulary: characteristics (ICF codes, levels) and adjustments, in both languages."""
    if lang not in LANGUAGES:
        raise _fail(f"--lang must be one of {', '.join(LANGUAGES)}", 2)
    if as_json:
        typer.echo(json.dumps(catalogue_document(), ensure_ascii=False, indent=2))
    else:
        typer.echo(catalogue_text(lang))


@app.command("import-tasks")
@_friendly_errors
def import_tasks(
    file: Annotated[Path, typer.Argument(help="A Ratko spreadsheet, .csv or .xlsx.")],
    employer: Annotated[int, typer.Option(help="The employer's id.")],
    user: AsOption,
    replace: Annotated[
        bool, typer.Option(help="Remove the employer's current roles and tasks first.")
    ] = False,
) -> None:
    """Import a Ratko workshop's tasks for an employer, as a named user (audited). Nothing is
    stored if any row is bad."""
    if not file.is_file():
        raise _fail(f"no such file: {file}", 2)
    with acting(user, Permission.WRITE_EMPLOYERS) as ctx:
        stored = employers.upload_ratko(
            ctx, employer, file.read_bytes(), file.name, replace=replace
        )
    n_tasks = sum(len(ids) for _, ids in stored)
    typer.echo(f"imported {len(stored)} role(s) and {n_tasks} task(s) for employer {employer}")


@app.command("export-tasks")
@_friendly_errors
def export_tasks(
    employer: Annotated[int, typer.Option(help="The employer's id.")],
    output: Annotated[
        Path | None, typer.Option(help="File to write (.csv or .xlsx); CSV to stdout if omitted.")
    ] = None,
) -> None:
    """Export an employer's roles and tasks as a Ratko spreadsheet."""
    with transaction(make_engine()) as session:
        roles = [r.role for r in employers.list_roles(session, employer).data]
    rows = format_rows(roles)
    if output is None:
        sys.stdout.write(write_sheet(rows, "csv").decode("utf-8-sig"))
        return
    output.write_bytes(write_sheet(rows, sheet_format(output)))
    typer.echo(f"wrote {len(rows)} task(s) to {output}")


@app.command()
@_friendly_errors
def status() -> None:
    """Where the database is, its schema revision and how many rows each table holds."""
    engine = make_engine()
    revision = current_revision(engine)
    typer.echo(f"database {_safe_url()}: revision {revision or 'none'} (head {head_revision()})")
    if revision:
        with transaction(engine) as session:
            for table, count in repository.count_rows(session).items():
                typer.echo(f"  {table:<24} {count:>9}")


register_matching(app, _friendly_errors)
register_rules(app, _friendly_errors)
register_market(app, _friendly_errors)
register_reports(app, _friendly_errors)

users_app = typer.Typer(help="Users of the service.", no_args_is_help=True)
app.add_typer(users_app, name="users")


@users_app.command("add")
@_friendly_errors
def users_add(
    name: Annotated[str, typer.Argument(help="User name, e.g. anna.virtanen")],
    role: Annotated[str, typer.Option(help="One of: " + ", ".join(ROLE_NAMES) + ".")],
    area: Annotated[str | None, typer.Option(help="A coordinator's team or area.")] = None,
    password: Annotated[
        bool, typer.Option("--password", help="Also set a password for the web login (asked).")
    ] = False,
    days: Annotated[int, typer.Option(min=1, max=365, help="Days the token is valid.")] = 30,
) -> None:
    """Add a user and print a bearer token for the CLI and API (shown once)."""
    from api.auth.setup import add_user
    from api.storage.migrate import upgrade as migrate_up

    if role not in ROLE_NAMES:
        raise _fail(f"--role must be one of {', '.join(ROLE_NAMES)}", 2)
    if Role(role).is_coordinator and not area:
        raise _fail("a coordinator needs --area (the team whose jobseekers they see)", 2)
    secret = (
        typer.prompt("password", hide_input=True, confirmation_prompt=True) if password else None
    )
    engine = make_engine()
    migrate_up(engine)
    with transaction(engine) as session:
        token = add_user(session, name=name, role=Role(role), area=area, password=secret, days=days)
    typer.echo(f"user {name} ({role}) added; bearer token, shown once:")
    typer.echo(token)


@users_app.command("deactivate")
@_friendly_errors
def users_deactivate(
    name: Annotated[str, typer.Argument(help="The user to switch off.")],
) -> None:
    """Switch a user off: they can no longer log in, and every token of theirs ends now."""
    from api.auth.users import deactivate

    engine = make_engine()
    upgrade(engine)
    with transaction(engine) as session:
        ended = deactivate(session, name, actor="cli", role="admin", why="tasma users deactivate")
    typer.echo(f"user {name} switched off; {ended} tokens ended")


@users_app.command("set-role")
@_friendly_errors
def users_set_role(
    name: Annotated[str, typer.Argument(help="The user whose role changes.")],
    role: Annotated[str, typer.Option(help="One of: " + ", ".join(ROLE_NAMES) + ".")],
    area: Annotated[str | None, typer.Option(help="A coordinator's team or area.")] = None,
) -> None:
    """Give a user another role (e.g. a company coordinator who is a work-ability coordinator)."""
    from api.auth.users import change_role

    if role not in ROLE_NAMES:
        raise _fail(f"--role must be one of {', '.join(ROLE_NAMES)}", 2)
    engine = make_engine()
    upgrade(engine)
    with transaction(engine) as session:
        change_role(session, name, Role(role), area, actor="cli", actor_role="admin")
    typer.echo(f"user {name} is now {role}" + (f" in {area}" if area else ""))


@users_app.command("set-contact")
@_friendly_errors
def users_set_contact(
    name: Annotated[str, typer.Argument(help="The user (their login name).")],
    display_name: Annotated[
        str, typer.Option(help="Their name as clients read it, e.g. 'Maija Meikäläinen'.")
    ],
    phone: Annotated[str | None, typer.Option(help="Work phone, e.g. '040 123 4567'.")] = None,
    email: Annotated[str | None, typer.Option(help="Work e-mail.")] = None,
) -> None:
    """Set a user's name and work contact details for clients (the printed client plan names
    the coordinators with them); each user can also set their own on the web (My details)."""
    from pydantic import ValidationError

    from api.auth.schemas import StaffContact
    from api.auth.users import set_contact
    from features.schemas.errors import field_errors

    if not display_name.strip():
        raise _fail("--display-name: give the name clients read, e.g. 'Maija Meikäläinen'", 2)
    try:
        contact = StaffContact(display_name=display_name, work_phone=phone or None,
                               work_email=email or None)  # fmt: skip
    except ValidationError as err:
        said = "; ".join(f"--{e.field.replace('work_', '').replace('_', '-')}: {e.message}"
                         for e in field_errors(err))  # fmt: skip
        raise _fail(said, 2) from None
    engine = make_engine()
    upgrade(engine)
    with transaction(engine) as session:
        set_contact(session, name, contact, actor="cli", role="admin")
    typer.echo(f"{name}: shown to clients as {contact.display_name}")


@users_app.command("revoke")
@_friendly_errors
def users_revoke(
    name: Annotated[str, typer.Argument(help="The user whose tokens end (e.g. a lost laptop).")],
) -> None:
    """End every token of a user now; they may log in again with their password."""
    from api.auth.users import end_all_tokens

    engine = make_engine()
    upgrade(engine)
    with transaction(engine) as session:
        ended = end_all_tokens(session, name, actor="cli", role="admin")
    typer.echo(f"{ended} tokens of {name} ended")


supports_app = typer.Typer(
    help="The supports' names, amounts and conditions.", no_args_is_help=True
)
app.add_typer(supports_app, name="supports")


@supports_app.command("check")
@_friendly_errors
def supports_check(
    file: Annotated[
        Path, typer.Argument(help="A supports file (YAML), to be TASMA_SUPPORTS_FILE.")
    ],
) -> None:
    """Check a supports file before pointing the service at it: every version and support valid,
    and which version holds today."""
    from datetime import UTC, datetime

    from features.supports import load_supports

    if not file.is_file():
        raise _fail(f"no such file: {file}", 2)
    terms = load_supports(file)
    today = today_in_finland(datetime.now(UTC))
    valid = [v.valid_from for v in terms.versions if v.valid_from <= today]
    typer.echo(f"{len(terms.versions)} versions; today's: "
               + (f"from {max(valid).isoformat()}: " + ", ".join(sorted(terms.on(today)))
                  if valid else "none (every version starts later)"))  # fmt: skip


audit_app = typer.Typer(help="The audit trail.", no_args_is_help=True)
app.add_typer(audit_app, name="audit")


@audit_app.command("purge")
@_friendly_errors
def audit_purge(
    days: Annotated[
        int | None,
        typer.Option(min=30, help="Keep this many days (default TASMA_AUDIT_RETENTION_DAYS)."),
    ] = None,
) -> None:
    """Delete audit rows older than the retention period (the purge itself is audited).
    `tasma serve` does this at every start."""
    from api.core.settings import get_settings
    from api.storage.audit import purge_expired

    engine = make_engine()
    upgrade(engine)
    keep = days or get_settings().audit_retention_days
    with transaction(engine) as session:
        removed = purge_expired(session, retention_days=keep, actor="cli")
    typer.echo(f"{removed} audit rows older than {keep} days deleted")


@app.command()
@_friendly_errors
def serve(
    host: Annotated[str | None, typer.Option(help="Address to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port.")] = None,
    quiet: Annotated[bool, typer.Option(help="No access log (for load tests).")] = False,
    workers: Annotated[int, typer.Option(min=1, max=16, help="Worker processes.")] = 1,
) -> None:
    """Start the service (uvicorn). On an empty local database, build the demo world first and
    print a demo token for each role; any other database needs an admin (`tasma users add`)."""
    import uvicorn

    from api.app import create_app
    from api.auth.setup import (
        UnsafeStartError,
        check_start,
        demo_users,
        is_demo,
        retire_demo_users,
        seed_demo,
    )
    from api.core.settings import Environment, get_settings
    from api.http.logs import log_config
    from api.storage.files import secure_folder

    settings = get_settings()
    bind_host, bind_port = host or settings.host, port or settings.port
    if taken := _port_taken(bind_host, bind_port):
        # Before anything is built: a demo world made for nothing, then a log record, is no
        # way to say that the port is in use.
        raise _fail(f"cannot listen on {bind_host}:{bind_port}: {taken}; stop what holds it "
                    "or choose another port with --port", 2)  # fmt: skip
    for folder in {settings.data_dir, settings.batch_folder()}:
        if repaired := secure_folder(folder):
            typer.echo(f"made owner-only in {folder} (others could read them): "
                       + ", ".join(repaired))  # fmt: skip
    engine = make_engine(settings.database_url)
    upgrade(engine)
    production = settings.environment is Environment.PRODUCTION
    if settings.demo_on_empty and not production:
        summary = seed_demo(engine, settings.demo_size)
        if summary:
            typer.echo(
                f"demo world built: {summary['employers']} employers, "
                f"{summary['tasks']} tasks, {summary['jobseekers']} jobseekers"
            )
    try:
        check_start(
            engine, production=production, secret_set=settings.secret_key is not None,
            host=bind_host,
        )  # fmt: skip
    except UnsafeStartError as err:
        raise _fail(f"refusing to start: {err}", 2) from None
    if is_demo(engine):
        tokens = demo_users(engine)
        typer.echo("DEMO DATABASE (made-up people). Demo tokens, valid for a day:")
        for name, token in tokens.items():
            typer.echo(f"  {name:<18} {token}")
        typer.echo(
            "web UI log-ins (user / password): "
            + ", ".join(f"{name} / demo-{name.split('.')[1]}" for name in tokens)
        )
    elif retired := retire_demo_users(engine):
        typer.echo("demo users switched off on this real database: " + ", ".join(retired))
    from api.storage.audit import purge_expired

    with transaction(engine) as session:
        removed = purge_expired(
            session, retention_days=settings.audit_retention_days, actor="tasma serve"
        )
    if removed:
        typer.echo(f"{removed} audit rows past {settings.audit_retention_days} days deleted")
    typer.echo(f"Täsmä web UI at http://{bind_host}:{bind_port}/ui/")
    typer.echo(f"Täsmä API at http://{bind_host}:{bind_port}/docs")
    # Worker processes build their own app (and match index) from the environment.
    os.environ["TASMA_WORKERS"] = str(workers)
    if quiet:
        os.environ["TASMA_ACCESS_LOG"] = "false"
    settings = settings.model_copy(update={"workers": workers, "access_log": not quiet})
    common: dict[str, Any] = {
        "host": bind_host,
        "port": bind_port,
        "log_config": log_config(json_lines=settings.json_logs()),
        "access_log": False,  # tasma.access logs each request, with its duration
        # Forwarded headers only from the configured proxies (uvicorn believes 127.0.0.1's by
        # default: any local process, or a request relayed through one, could pick its
        # address and escape the per-address limits).
        "proxy_headers": bool(settings.trusted_proxies.strip()),
        "forwarded_allow_ips": settings.trusted_proxies.strip() or None,
        # No limit_concurrency: uvicorn counts open connections with it, and idle ones would
        # take every place. The app's guard sheds requests in progress past the limit instead.
    }
    _raise_open_files_limit()
    if workers > 1:
        _serve_workers(workers, common)
    else:
        uvicorn.run(create_app(settings), **common)


def _port_taken(host: str, port: int) -> str | None:
    """Why ``host:port`` cannot be listened on (in use, not an address of this machine, not
    allowed), or None when it can: tried with a socket bound and closed at once."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as err:
        return f"no such address ({err.strerror})"
    family, kind, proto, _name, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            probe.bind(address)
        except OSError as err:
            return "the port is in use" if err.errno == errno.EADDRINUSE else err.strerror
    return None


def _raise_open_files_limit() -> None:
    """Every connection is a descriptor, idle ones too: allow as many as the system lets this
    process have, so that a crowd of idle sockets runs out of nothing a real request needs."""
    import contextlib
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != hard:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def _serve_workers(workers: int, common: dict[str, Any]) -> None:
    """Worker processes under uvicorn's supervisor, each with its own listening socket where
    the kernel balances connections between them (see `api.http.listeners`), else the shared one."""
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    from api.http.listeners import OwnSocketPerWorker, balanced_by_kernel, reserve

    if not balanced_by_kernel():
        uvicorn.run("api.app:create_app", factory=True, workers=workers, **common)
        return
    config = uvicorn.Config("api.app:create_app", factory=True, workers=workers, **common)
    try:
        reserved = reserve(config.host, config.port)
    except OSError as err:
        raise _fail(f"cannot listen on {config.host}:{config.port}: {err.strerror}", 2) from None
    with reserved:
        Multiprocess(config, sockets=OwnSocketPerWorker(config.host, config.port)).run()


def main() -> None:
    from api.storage.files import keep_private

    keep_private()  # every file a command writes (database, snapshots, runs, models): 0600
    app()
