"""The `wismo` command. Every command reads WISMO_DATABASE_URL (default: var/wismo.db)."""

import asyncio
import gc
import ipaddress
import uuid
from collections.abc import Awaitable, Callable
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console

from app.core.config import InsecureConfigurationError, get_settings
from app.core.errors import AppError
from app.db import migrations
from app.db.session import Database

app = typer.Typer(help="WISMO Analytics: serve, migrate, load demo data, manage stores.")
console = Console()
err_console = Console(stderr=True)
T = TypeVar("T")


def _run(work: Callable[[Database], Awaitable[T]]) -> T:
    """Run an async unit of work against the configured database; AppErrors become exit 1."""
    # What start-up made (modules, models, schemas: most of the objects the garbage collector
    # tracks) lives until a one-shot command exits. Frozen, it is left out of the full
    # collections, which a bulk command (import, demo data, backfill) triggers every few
    # thousand rows and which walked all of it each time: about 0.15 s for 250,000 objects,
    # a quarter to a third of a CSV import's time.
    gc.collect()
    gc.freeze()

    async def main() -> T:
        db = Database(get_settings())
        try:
            return await work(db)
        finally:
            await db.dispose()

    try:
        return asyncio.run(main())
    except AppError as exc:
        err_console.print(f"[red]error:[/red] {exc.detail}")
        raise typer.Exit(1) from None


def _store_id(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a store id (a UUID)") from None


@app.command()
def migrate() -> None:
    """Upgrade the database schema to the latest version."""
    url = get_settings().database_url
    migrations.upgrade(url)
    console.print(f"[green]database migrated[/green] ({_safe_url(url)})")


@app.command()
def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: Annotated[int, typer.Option(help="uvicorn worker processes")] = 1,
    reload: bool = False,
) -> None:
    """Serve the API and the built dashboard."""
    import uvicorn

    settings = get_settings()
    try:
        settings.check_production()
    except InsecureConfigurationError as exc:
        err_console.print(f"[red]refusing to start:[/red] {exc}")
        raise typer.Exit(1) from None
    proxies = settings.trusted_proxy_list
    uvicorn.run(
        "app.main:create_served_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        reload=reload,
        # X-Forwarded-For is believed only from the configured proxies (none by default).
        proxy_headers=bool(proxies),
        forwarded_allow_ips=proxies or None,
        log_level=settings.log_level.lower(),
    )


@app.command("create-store")
def create_store_cmd(
    name: str,
    timezone: Annotated[str, typer.Option(help="IANA time zone, e.g. America/New_York")],
    domain: Annotated[str | None, typer.Option(help="SHOP.myshopify.com")] = None,
    currency: str = "USD",
    shopify_secret: Annotated[str | None, typer.Option(help="Shopify webhook secret")] = None,
    tracking_secret: Annotated[str | None, typer.Option(help="AfterShip/EasyPost secret")] = None,
) -> None:
    """Create a store and print its id."""
    from app.stores.service import create_store

    async def work(db: Database) -> Any:
        async with db.sessionmaker() as session:
            store = await create_store(
                session,
                name,
                timezone,
                currency=currency,
                domain=domain,
                shopify_secret=shopify_secret,
                tracking_secret=tracking_secret,
            )
            await session.commit()
            return store

    store = _run(work)
    console.print(store.id)


@app.command("create-api-key")
def create_api_key_cmd(
    store: Annotated[str, typer.Option(help="store id")],
    name: str = "default",
) -> None:
    """Create a store API key and print it (it is shown only once)."""
    from app.accounts.service import create_api_key

    async def work(db: Database) -> str:
        async with db.sessionmaker() as session:
            _, key = await create_api_key(session, _store_id(store), name)
            await session.commit()
            return key

    console.print(_run(work))


@app.command("create-user")
def create_user_cmd(
    email: str,
    store: Annotated[str, typer.Option(help="store id")],
    password: Annotated[str | None, typer.Option(help="prompted when not given")] = None,
    role: Annotated[str, typer.Option(help="owner | admin | analyst")] = "owner",
) -> None:
    """Create a dashboard user (or update their password) with access to a store."""
    from app.accounts.service import create_user

    if role not in ("owner", "admin", "analyst"):
        raise typer.BadParameter("role must be owner, admin or analyst")
    if password is None:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    if len(password) < 8:
        raise typer.BadParameter("use a password of at least 8 characters")

    async def work(db: Database) -> None:
        async with db.sessionmaker() as session:
            await create_user(session, email, password, _store_id(store), role)
            await session.commit()

    _run(work)
    console.print(f"[green]user {email} can log in to store {store}[/green]")


@app.command("import")
def import_cmd(
    kind: Annotated[
        str,
        typer.Argument(
            help="orders | shipments | inquiries | shopify-orders (Shopify's own order export)",
            metavar="KIND",
        ),
    ],
    file: Annotated[
        Path,
        typer.Argument(exists=True, dir_okay=False, readable=True, help="the CSV file"),
    ],
    store: Annotated[str, typer.Option(help="store id")],
    batch_size: Annotated[int, typer.Option(min=1, help="rows per transaction")] = 2000,
) -> None:
    """Import orders, shipments or inquiries from a CSV file, or Shopify's order export as it
    is (shopify-orders); bad rows are reported, good rows kept. Exits 1 when any row failed."""
    from rich.markup import escape
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )
    from rich.table import Table

    from app.ingestion.csv_import import (
        IMPORT_KINDS,
        SHOPIFY_ORDERS,
        ImportProgress,
        ImportReport,
        import_csv,
    )

    if kind not in IMPORT_KINDS:
        raise typer.BadParameter(f"KIND must be one of: {', '.join(IMPORT_KINDS)}")
    store_id = _store_id(store)

    async def work(db: Database) -> ImportReport:
        columns = (
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            DownloadColumn(),
            TextColumn("{task.fields[rows]}"),
            TimeElapsedColumn(),
        )
        with Progress(*columns, console=err_console, transient=False) as bar:
            task = bar.add_task(f"import {kind}", total=file.stat().st_size, rows="")

            def on_progress(p: ImportProgress) -> None:
                bar.update(
                    task,
                    completed=p.bytes_read,
                    rows=f"{p.rows_ok} ok · {p.rows_failed} failed",
                )

            return await import_csv(
                db.sessionmaker, store_id, kind, file, on_progress, batch_size=batch_size
            )

    report = _run(work)
    if report.errors:
        title = "the header line" if report.aborted else f"{report.rows_failed} row(s) not imported"
        if kind == SHOPIFY_ORDERS and not report.aborted:
            title = f"{report.orders_failed} order(s) ({report.rows_failed} row(s)) not imported"
        table = Table(title=title, title_justify="left")
        table.add_column("line", justify="right", style="cyan")
        table.add_column("column", style="magenta")
        table.add_column("reason")
        for error in report.errors:
            table.add_row(str(error.line), escape(error.column or "—"), escape(error.reason))
        console.print(table)
        if report.errors_omitted:
            console.print(f"… and {report.errors_omitted} more error(s) not shown")
    if report.aborted:
        console.print("[red]nothing imported:[/red] fix the header line and run again")
        raise typer.Exit(1)
    if kind == SHOPIFY_ORDERS:
        console.print(
            f"[green]{report.orders - report.orders_failed} of {report.orders} order(s) "
            f"imported[/green] from {report.rows_ok} of {report.rows} row(s) "
            f"({report.created} new, {report.existing} already present; "
            f"{report.shipments_created} new shipment(s)) "
            f"in {report.batches} transaction(s), {report.seconds:.1f} s"
        )
    else:
        console.print(
            f"[green]{report.rows_ok} of {report.rows} row(s) imported[/green] "
            f"({report.created} new, {report.existing} already present) "
            f"in {report.batches} transaction(s), {report.seconds:.1f} s"
        )
    if report.rows_failed:
        raise typer.Exit(1)


@app.command()
def purge(
    days: Annotated[
        int | None, typer.Option(help="retention in days (default: WISMO_RETENTION_DAYS)")
    ] = None,
) -> None:
    """Drop chat message and feedback text older than the retention period."""
    from app.privacy.service import purge_old_text

    retention = days if days is not None else get_settings().retention_days
    if retention is None:
        raise typer.BadParameter("set WISMO_RETENTION_DAYS or pass --days")
    if retention < 1:
        raise typer.BadParameter("retention must be at least one day")

    async def work(db: Database) -> dict[str, int]:
        async with db.sessionmaker() as session:
            result = await purge_old_text(session, retention)
            await session.commit()
            return result

    result = _run(work)
    console.print(
        f"[green]purged text older than {retention} days:[/green] "
        f"{result['messages']} messages, {result['feedback']} feedback, "
        f"{result['alerts']} alert excerpts"
    )


def dashboard_url(host: str, port: int) -> str:
    """The browser's address for a listening host: any-address binds are reached locally."""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        address = None
    shown = host
    if address is not None and address.is_unspecified:
        shown = "::1" if address.version == 6 else "127.0.0.1"
    return f"http://[{shown}]:{port}" if ":" in shown else f"http://{shown}:{port}"


shopify_app = typer.Typer(help="The Shopify app: history import.")
app.add_typer(shopify_app, name="shopify")


@shopify_app.command("backfill")
def shopify_backfill_cmd(
    store: Annotated[str, typer.Option(help="store id")],
    days: Annotated[
        int, typer.Option(min=1, max=3650, help="import orders of the last N days")
    ] = 90,
) -> None:
    """Import (or resume importing) the store's Shopify orders of the last N days."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from app.core import clock
    from app.integrations.shopify.backfill import BackfillProgress, run_backfill, start_backfill

    store_id = _store_id(store)
    settings = get_settings()

    async def work(db: Database) -> BackfillProgress:
        async with db.sessionmaker() as session:
            row, created = await start_backfill(session, store_id, days)
            await session.commit()
            backfill_id = row.id
        if not created:
            err_console.print(f"resuming the unfinished import of the last {row.days} days")
        columns = (
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[detail]}"),
            TimeElapsedColumn(),
        )
        started = clock.monotonic()
        with Progress(*columns, console=err_console) as bar:
            task = bar.add_task("waiting for Shopify", total=None, detail="")

            def on_progress(p: BackfillProgress) -> None:
                elapsed = max(clock.monotonic() - started, 1e-9)
                bar.update(
                    task,
                    description="importing orders",
                    total=p.object_count,
                    completed=p.lines_done,
                    detail=f"{p.orders_failed} skipped · {p.orders_done / elapsed:.0f} orders/s",
                )

            return await run_backfill(
                db.writer, settings, store_id, backfill_id, on_progress=on_progress
            )

    result = _run(work)
    if result.status != "completed":
        err_console.print(f"[red]import {result.status}:[/red] {result.error or ''}")
        raise typer.Exit(1)
    console.print(
        f"[green]{result.orders_done} order(s) imported[/green] from Shopify "
        f"({result.orders_failed} skipped) since {result.since:%Y-%m-%d}"
    )


@app.command("generate-encryption-key")
def generate_encryption_key() -> None:
    """Print a new key for WISMO_ENCRYPTION_KEYS (put it first to encrypt with it)."""
    from app.core.secrets import generate_key

    console.print(generate_key(), soft_wrap=True, highlight=False)


@app.command("rotate-keys")
def rotate_keys() -> None:
    """Re-encrypt every stored secret with the first key of WISMO_ENCRYPTION_KEYS."""
    from app.core import secrets
    from app.db.secret_rotation import rotate_all

    secrets.configure(get_settings())

    async def work(db: Database) -> int:
        async with db.sessionmaker() as session:
            count = await rotate_all(session)
            await session.commit()
            return count

    count = _run(work)
    console.print(f"[green]re-encrypted {count} secrets with the first key[/green]")


@app.command()
def demo(
    store: Annotated[
        str | None, typer.Option(help="load into this existing store instead of the demo stores")
    ] = None,
    days: Annotated[int, typer.Option(min=1, max=1500, help="days of history")] = 120,
    orders_per_day: Annotated[
        float, typer.Option(min=0, help="mean daily orders at the end of the range")
    ] = 40,
    seed: int = 7,
    end_date: Annotated[
        str | None,
        typer.Option(
            help="last day of the data (YYYY-MM-DD, each store's local date; default: today)"
        ),
    ] = None,
    host: Annotated[str, typer.Option(help="where `wismo serve` listens (for the URL shown)")] = (
        "127.0.0.1"
    ),
    port: Annotated[int, typer.Option(help="the port `wismo serve` listens on")] = 8000,
) -> None:
    """Load deterministic demo data: creates the demo stores and the demo login, or fills
    the store given with --store. The same seed and end date give the same data."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn
    from rich.table import Table

    from app.core import clock
    from app.demo import DemoConfig, create_demo, load_demo_into_store

    try:
        last_day = date.fromisoformat(end_date) if end_date else None
    except ValueError:
        raise typer.BadParameter(f"{end_date!r} is not a date (YYYY-MM-DD)") from None
    # The data ends on each store's local today (or on --end-date), cut at the clock's now.
    config = DemoConfig(
        days=days, orders_per_day=orders_per_day, seed=seed, end_date=last_day, now=clock.now()
    )

    async def work(db: Database) -> Any:
        columns = (
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        )
        with Progress(*columns, console=err_console) as bar:
            task = bar.add_task("generating orders", total=None)

            def progress(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            async with db.writer() as session:
                if store is not None:
                    result: Any = await load_demo_into_store(
                        session, _store_id(store), config, progress
                    )
                else:
                    result = await create_demo(session, config, progress)
                await session.commit()
                return result

    try:
        result = _run(work)
    except ValueError as exc:  # e.g. an end date that has not begun yet
        err_console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(1) from None
    if store is not None:
        console.print(
            f"[green]loaded {result.orders} orders, {result.shipments} shipments, "
            f"{result.inquiries} inquiries into {result.store_name}[/green]"
        )
        return
    table = Table(title="demo stores")
    for column in ("store", "time zone", "orders", "inquiries", "id"):
        table.add_column(column, overflow="fold")
    for s in result.stores:
        table.add_row(
            s.name,
            s.timezone,
            str(s.summary.orders) if s.summary else "(kept)",
            str(s.summary.inquiries) if s.summary else "",
            str(s.store_id),
        )
    console.print(table)
    for s in result.stores:
        if s.api_key:
            console.print(f"API key for {s.name} (shown once): {s.api_key}")
    console.print(
        f"\nDashboard: [bold]{dashboard_url(host, port)}[/bold]   "
        f"log in as [bold]{result.email}[/bold] / [bold]{result.password}[/bold]"
    )


@app.command()
def worker(
    processes: Annotated[int, typer.Option(min=1, help="worker processes")] = 2,
) -> None:
    """Run background analytics tasks from the Redis queue (needs WISMO_REDIS_URL)."""
    from app.workers.runner import RedisRequiredError, run_worker

    try:
        raise typer.Exit(run_worker(processes))
    except RedisRequiredError as exc:
        err_console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(1) from None


@app.command()
def scheduler() -> None:
    """Enqueue the periodic analytics tasks (run one per deployment; needs WISMO_REDIS_URL)."""
    from app.workers.runner import RedisRequiredError, run_scheduler

    try:
        raise typer.Exit(run_scheduler())
    except RedisRequiredError as exc:
        err_console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(1) from None


digests_app = typer.Typer(help="Members' scheduled digests.")
app.add_typer(digests_app, name="digests")


class Period(StrEnum):
    daily = "daily"
    weekly = "weekly"
    monthly = "monthly"


@digests_app.command("send")
def digests_send(
    store: Annotated[str, typer.Option(help="store id")],
    user: Annotated[str, typer.Option(help="the member's email")],
    period: Annotated[Period, typer.Option(help="daily, weekly or monthly")],
) -> None:
    """Send one member the digest of the last complete period now (whatever their schedule).
    Once per member and period: running it again (a cron retry) sends nothing more."""
    from app.notifications import digests

    store_id = _store_id(store)

    async def work(db: Database) -> tuple[date, date, bool]:
        return await digests.send_now(db.sessionmaker, get_settings(), store_id, user, period.value)

    start, end, sent = _run(work)
    span = start.isoformat() if start == end else f"{start.isoformat()} to {end.isoformat()}"
    if sent:
        console.print(f"[green]digest sent[/green] to {user} for {span}")
    else:
        console.print(f"digest for {span} was already sent to {user} (or is being sent)")


def _safe_url(url: str) -> str:
    if "@" in url:
        scheme, _, rest = url.partition("://")
        return f"{scheme}://***@{rest.split('@', 1)[1]}"
    return url


if __name__ == "__main__":
    app()
