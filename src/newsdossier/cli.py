"""The `newsdossier` command: thin typer commands over the library functions."""

from __future__ import annotations

import logging
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from newsdossier.pipeline import DEFAULT_MAX_PAGE_MB, BuildReport, build
from newsdossier.store import DEFAULT_PATH, Store, StoreError


class NerChoice(StrEnum):
    """The named-entity recognisers `build` offers (see understand.analyze.NerBackend)."""

    static = "static"
    spacy = "spacy"


app = typer.Typer(help="Turn noisy news pages into cross-checked, cited dossiers, one per event.",
                  no_args_is_help=True, add_completion=False)
console = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

DbOption = Annotated[Path, typer.Option("--db", help="The store (SQLite file); created if missing.")]
VerboseOption = Annotated[bool, typer.Option("--verbose", "-v", help="Show details and tracebacks on errors.")]


def _fail(exc: Exception, verbose: bool) -> typer.Exit:
    """One line for the user; the traceback only with --verbose."""
    if verbose:
        err.print_exception()
    expected = isinstance(exc, StoreError | LookupError | ValueError | OSError)
    detail = str(exc) if expected else f"internal error: {type(exc).__name__}: {exc} (rerun with --verbose for details)"
    err.print(f"[red]error:[/red] {detail}", highlight=False)
    return typer.Exit(code=2)


def print_report(report: BuildReport) -> None:
    console.print(
        f"[bold]Pages read:[/bold] {report.pages_read}   [bold]processed:[/bold] {report.processed}   "
        f"[bold]already in store:[/bold] {report.already_stored}   [bold]skipped:[/bold] {len(report.skipped)}"
    )
    for item in report.skipped[:20]:
        console.print(f"  [yellow]skipped[/yellow] {item.source}: {item.reason}", highlight=False)
    if len(report.skipped) > 20:
        console.print(f"  ... and {len(report.skipped) - 20} more")
    if report.dossiers:
        console.print(f"[bold]Events updated:[/bold] {len(report.dossiers)}")
        for d in report.dossiers:
            s = d.stats
            console.print(
                f"  [cyan]{d.event.id}[/cyan]  {d.event.date or 'undated'}  {s.articles} pages, "
                f"{s.independent_outlets} independent outlets, {s.facts} facts ({s.corroborated} corroborated, "
                f"{s.single_source} single-source, {s.contested} contested), {s.comments} reader comments apart",
                highlight=False,
            )
            console.print(f"    {d.event.title}", highlight=False)
        for path in report.outputs.values():
            console.print(f"  wrote {path}/dossier.html, dossier.md, dossier.json", highlight=False)


@app.command("build")
def build_cmd(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders: .html .htm .txt .jsonl .warc .warc.gz")],
    out: Annotated[Path, typer.Option("--out", help="Folder for each event's dossier files.")] = Path("dossiers"),
    db: DbOption = Path(DEFAULT_PATH),
    max_page_mb: Annotated[float, typer.Option(help="Pages larger than this are skipped.")] = DEFAULT_MAX_PAGE_MB,
    ner: Annotated[NerChoice, typer.Option(help="Named entities: 'static' (fast, distilled from spaCy's small "
                                                 "model) or 'spacy' (the small model's own).")] = NerChoice.static,
    verbose: VerboseOption = False,
) -> None:
    """Build or update dossiers from raw news pages."""
    logging.basicConfig(level=logging.DEBUG if verbose else logging.WARNING)
    try:
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      console=err, transient=True) as progress:
            task = progress.add_task("reading pages", total=None)

            def on_progress(done: int, total: int, source: str) -> None:
                progress.update(task, completed=done, total=total, description=source[-50:])

            report = build(paths, db=db, out_dir=out, max_page_mb=max_page_mb, on_progress=on_progress,
                           ner=ner.value)
    except Exception as exc:  # every failure reaches the user as one line
        raise _fail(exc, verbose) from exc
    print_report(report)
    if not report.ok:
        err.print("[red]error:[/red] no page could be processed")
        raise typer.Exit(code=1)


@app.command("list")
def list_cmd(db: DbOption = Path(DEFAULT_PATH), verbose: VerboseOption = False) -> None:
    """List the events in the store."""
    try:
        with Store(db) as store:
            rows = store.event_rows()
    except StoreError as exc:
        raise _fail(exc, verbose) from exc
    table = Table()
    for col in ("event", "date", "pages", "outlets", "facts"):
        table.add_column(col, no_wrap=True)
    table.add_column("title")
    for r in rows:
        table.add_row(r.id, r.date or "?", str(r.articles), str(r.independent_outlets),
                      "" if r.facts is None else str(r.facts), r.title)
    console.print(table)


@app.command("show")
def show_cmd(
    event: Annotated[str, typer.Argument(help="Event id or a unique prefix of it.")],
    db: DbOption = Path(DEFAULT_PATH),
    fmt: Annotated[str, typer.Option("--format", help="md or json")] = "md",
    verbose: VerboseOption = False,
) -> None:
    """Print one event's dossier."""
    from newsdossier.render.json import to_json
    from newsdossier.render.markdown import to_markdown

    try:
        with Store(db) as store:
            dossier = store.get_dossier(event)
    except (StoreError, ValueError) as exc:
        raise _fail(exc, verbose) from exc
    if dossier is None:
        raise _fail(LookupError(f"no event {event!r} in {db}"), verbose)
    text = to_json(dossier) if fmt == "json" else to_markdown(dossier)
    print(text, end="" if text.endswith("\n") else "\n")
