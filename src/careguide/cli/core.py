"""Foundation commands: run, db, user, audit, demo."""

from __future__ import annotations

import json
from datetime import date

import typer

from careguide.store.models import Role


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    @app.command()
    def version() -> None:
        """Print careguide's version."""
        from careguide import __version__

        typer.echo(__version__)

    @app.command()
    def run(
        host: str | None = typer.Option(None, help="Address to listen on (default: CAREGUIDE_HOST)."),
        port: int | None = typer.Option(None, help="Port (default: CAREGUIDE_PORT)."),
        workers: int = typer.Option(1, help="Number of API worker processes."),
        reload: bool = typer.Option(False, help="Restart on code changes (development)."),
    ) -> None:
        """Start the web service and API."""
        import uvicorn

        from careguide.config import get_settings

        settings = get_settings()
        bind_host, bind_port = host or settings.host, port or settings.port
        typer.echo(f"careguide is running at http://{bind_host}:{bind_port}/  (API docs: /docs)")
        uvicorn.run("careguide.api.app:create_app", factory=True, host=bind_host, port=bind_port,
                    workers=workers, reload=reload, log_level="info")

    @eval_app.command("all")
    def eval_all(as_json: bool = typer.Option(False, "--json", help="Each suite prints one JSON object.")) -> None:
        """Run every evaluation suite with its default data, one after another."""
        group = typer.main.get_command(app)
        suites = group.commands["eval"].commands  # type: ignore[attr-defined]
        failed = []
        for name, command in suites.items():
            if name == "all":
                continue
            typer.echo(f"== careguide eval {name}", err=True)
            try:
                command.main(args=["--json"] if as_json else [], prog_name=f"careguide eval {name}",
                             standalone_mode=False)
            except SystemExit as exc:
                if exc.code:
                    failed.append(name)
        if failed:
            typer.echo(f"suites that failed: {', '.join(failed)}", err=True)
            raise typer.Exit(1)

    @app.command()
    def worker(
        threads: int = typer.Option(4, help="Job threads in this process."),
        schedule_every: float = typer.Option(60.0, help="Seconds between passes of the periodic schedule."),
    ) -> None:
        """Run background jobs from the Redis queue (CAREGUIDE_QUEUE=redis); stop with Ctrl-C or SIGTERM."""
        import signal
        import threading

        from careguide.config import get_settings
        from careguide.jobs.queue import get_backend
        from careguide.jobs.redis_queue import RedisBackend
        from careguide.jobs.schedule import schedule_pass
        from careguide.store import get_database

        settings = get_settings()
        backend = get_backend()
        if not isinstance(backend, RedisBackend):
            typer.echo("careguide worker needs CAREGUIDE_QUEUE=redis; with the embedded queue the API process "
                       "runs the jobs itself.", err=True)
            raise typer.Exit(2)
        job_worker, stop = backend.start_worker(threads=threads)
        done = threading.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: done.set())
        typer.echo(f"careguide worker: {threads} threads on {settings.redis_url}")
        database = get_database()
        while True:
            schedule_pass(database, backend, sweep=False)  # the worker's own sweeper thread re-delivers
            if done.wait(schedule_every):
                break
        stop.set()
        job_worker.stop()

    _register_db(app)
    _register_user(app)
    _register_audit(app)
    _register_demo(app)


def _register_db(app: typer.Typer) -> None:
    db_app = typer.Typer(help="Database migrations.", no_args_is_help=True)
    app.add_typer(db_app, name="db")

    @db_app.command("upgrade")
    def upgrade() -> None:
        """Apply every migration to the configured database."""
        from careguide.store import get_database

        database = get_database()
        database.upgrade()
        typer.echo(f"database up to date: {database.engine.url.render_as_string(hide_password=True)}")

    @db_app.command("revision")
    def revision(
        message: str = typer.Option(..., "-m", help="What the migration does."),
        branch: str = typer.Option(..., help="The domain's branch label, e.g. records."),
        rev_id: str = typer.Option(..., help="Revision id, e.g. records_0001."),
    ) -> None:
        """(Developers) autogenerate a migration on a domain branch against a scratch SQLite file."""
        import tempfile

        from careguide.store.db import Database
        from careguide.store.migrate import new_revision

        with tempfile.TemporaryDirectory() as tmp:
            new_revision(Database(f"sqlite:///{tmp}/scratch.db"), message, branch, rev_id)


def _register_user(app: typer.Typer) -> None:
    user_app = typer.Typer(help="Accounts.", no_args_is_help=True)
    app.add_typer(user_app, name="user")

    @user_app.command("create")
    def create(
        username: str,
        role: Role = typer.Option(Role.PATIENT, help="patient, caregiver, doctor or admin."),
        password: str = typer.Option(..., prompt=True, hide_input=True, confirmation_prompt=True),
        full_name: str = typer.Option("", help="Display name."),
        language: str | None = typer.Option(None, help="en or zh."),
        department: str | None = typer.Option(None, help="Doctors: department id whose referral queue they work."),
    ) -> None:
        """Create an account (doctors and administrators are created this way)."""
        from careguide import accounts
        from careguide.i18n import t
        from careguide.store import get_database

        with get_database().session() as session:
            try:
                user = accounts.create_user(session, accounts.NewUser(username, password, role, full_name,
                                                                      language=language, department=department))
            except accounts.AccountError as exc:
                typer.echo(t(f"accounts.{exc.key}", language), err=True)
                raise typer.Exit(2) from exc
            typer.echo(f"created {user.role.value} {user.username} (id {user.id})")


def _register_audit(app: typer.Typer) -> None:
    audit_app = typer.Typer(help="The audit chain.", no_args_is_help=True)
    app.add_typer(audit_app, name="audit")

    @audit_app.command("verify")
    def verify(as_json: bool = typer.Option(False, "--json", help="Print one JSON object.")) -> None:
        """Walk the audit chain; exit 1 naming the first altered, inserted or deleted event."""
        from careguide.privacy import audit
        from careguide.store import get_database

        with get_database().session() as session:
            report = audit.verify(session)
        if as_json:
            typer.echo(json.dumps(report.__dict__))
        elif report.ok:
            typer.echo(f"audit chain intact: {report.events} events")
        else:
            typer.echo(f"audit chain BROKEN at event seq={report.first_bad_seq} (id={report.first_bad_id}): "
                       f"{report.problem}", err=True)
        if not report.ok:
            raise typer.Exit(1)


def _register_demo(app: typer.Typer) -> None:
    demo_app = typer.Typer(help="Demo data.", no_args_is_help=True)
    app.add_typer(demo_app, name="demo")

    @demo_app.command("seed")
    def seed(today: str | None = typer.Option(None, help="Pretend today is YYYY-MM-DD (for reproducible demos).")) -> None:
        """Create demo accounts (password careguide-demo-1) and each skill's demo data; safe to repeat."""
        from careguide import demo
        from careguide.store import get_database

        with get_database().session() as session:
            counts = demo.seed(session, date.fromisoformat(today) if today else None)
        typer.echo("demo data ready: " + ", ".join(f"{k}={v}" for k, v in counts.items()))
        typer.echo(f"log in as demo / demo_en / caregiver / doctor / admin with password {demo.DEMO_PASSWORD}")
