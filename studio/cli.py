"""The ``studio`` command. The only code that prints or exits."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

from studio import __version__
from studio.errors import StudioError
from studio.formats import FORMATS
from studio.plan import parse_groups, plan_jobs
from studio.quarters import Quarter
from studio.spec import display_path, load_campaign
from studio.spec.models import Campaign

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Taza Studio: banners, social ads and QR reporting codes for the anti-corruption campaign.",
)
out = Console(highlight=False)
err = Console(stderr=True, highlight=False)

CampaignArg = Annotated[Path, typer.Argument(help="The campaign file, e.g. campaigns/tash-komur-2026.yaml")]
DebugOpt = Annotated[bool, typer.Option("--debug", help="Show tracebacks of internal errors.")]


def _fail(message: str) -> None:
    err.print(f"[bold red]error:[/] {message}", markup=True, soft_wrap=True)
    raise typer.Exit(1)


def _load(path: Path) -> Campaign:
    campaign = load_campaign(path)
    if campaign.reporting.placeholder:
        err.print(
            f"[yellow]warning:[/] {display_path(path)}: reporting channels are sample placeholders "
            f"({campaign.reporting.url}); replace them and set reporting.placeholder: false before publishing",
            soft_wrap=True,
        )
    return campaign


def _split(value: str | None) -> list[str] | None:
    return [v.strip() for v in value.split(",") if v.strip()] if value else None


@app.command()
def validate(campaign_file: CampaignArg) -> None:
    """Check a campaign: fields, assets, fonts and glyphs, designs. Errors name file, line, field, value."""
    campaign = _load(campaign_file)
    jobs = sum(
        len(d.formats) * len(campaign.deliverable_languages(d)) * len(d.due_quarters) for d in campaign.deliverables
    )
    out.print(
        f"[green]ok[/] {display_path(campaign_file)}: campaign {campaign.id}, "
        f"{len(campaign.deliverables)} deliverables, languages {', '.join(campaign.languages)}, "
        f"{campaign.period.from_}–{campaign.period.to}, {jobs} renders planned in all"
    )


@app.command()
def render(
    campaign_file: CampaignArg,
    quarter: Annotated[str, typer.Option("--quarter", "-q", help="The quarter to render, e.g. 2026Q1.")],
    only: Annotated[str | None, typer.Option(help="Only these groups: banners, social (comma-separated).")] = None,
    lang: Annotated[str | None, typer.Option(help="Only these languages, e.g. ky or ky,ru.")] = None,
    format: Annotated[str | None, typer.Option("--format", help="Only these formats (comma-separated).")] = None,
    out_dir: Annotated[Path, typer.Option("--out", help="Output folder.")] = Path("renders"),
    workers: Annotated[int, typer.Option(help="Parallel processes (default: every core).")] = 0,
    debug: DebugOpt = False,
) -> None:
    """Render everything due in a quarter into OUT/<campaign>/<quarter>/, with manifest.json."""
    from studio.render.manifest import read_manifest, write_manifest
    from studio.render.run import JobResult, run_jobs

    try:
        q = Quarter.parse(quarter)
    except ValueError as exc:
        _fail(f"--quarter: {exc}")
    campaign = _load(campaign_file)
    kinds = parse_groups(only)
    langs, formats = _split(lang), _split(format)
    for code in langs or ():
        if code not in campaign.languages:
            _fail(f'--lang: "{code}" is not a language of {campaign.id} ({", ".join(campaign.languages)})')
    for name in formats or ():
        if name not in FORMATS:
            _fail(f'--format: unknown format "{name}"; known: {", ".join(FORMATS)}')
    if not campaign.period.from_ <= q <= campaign.period.to:
        _fail(f"--quarter: {q} is outside the campaign period {campaign.period.from_}–{campaign.period.to}")
    jobs = plan_jobs(campaign, q, kinds, langs, formats)
    if not jobs:
        out.print(f"nothing is due in {q} for that selection")
        return
    quarter_dir = out_dir / campaign.id / str(q)
    try:
        quarter_dir.mkdir(parents=True, exist_ok=True)
        probe = quarter_dir / ".write-test"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        _fail(f"{quarter_dir}: cannot write renders there ({exc.strerror or exc})")
    entries, warning = read_manifest(quarter_dir)
    if warning:
        err.print(f"[yellow]warning:[/] {warning}", soft_wrap=True)
    workers = workers or os.cpu_count() or 1
    failures: list[JobResult] = []

    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[failed]} failed"),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=err,
        transient=False,
    ) as progress:
        task = progress.add_task(f"{campaign.id} {q}", total=len(jobs), failed=0)

        def on_result(result: JobResult) -> None:
            if result.error:
                failures.append(result)
            for entry in result.entries:
                entries[entry["path"]] = entry
            write_manifest(quarter_dir, campaign.id, str(q), entries)
            progress.update(task, advance=1, failed=len(failures))

        results = run_jobs(campaign_file, jobs, quarter_dir, workers, on_result=on_result)

    files = sum(len(r.entries) for r in results)
    out.print(
        f"{files} files from {len(results) - len(failures)} of {len(jobs)} jobs in {display_path(quarter_dir)}; "
        f"manifest: {display_path(quarter_dir / 'manifest.json')}"
    )
    if failures:
        for result in failures:
            err.print(f"[bold red]failed:[/] {result.error}", soft_wrap=True)
            if debug and result.detail:
                err.print(result.detail)
        _fail(f"{len(failures)} of {len(jobs)} jobs failed; the others were rendered")


@app.command("contact-sheet")
def contact_sheet(
    quarter_dir: Annotated[Path, typer.Argument(help="A rendered quarter, e.g. renders/tash-komur-2026/2026Q1")],
    output: Annotated[Path, typer.Option("--output", "-o", help="The PNG to write.")] = Path("contact-sheet.png"),
) -> None:
    """One PNG with every social image and print proof of a rendered quarter, labelled."""
    from studio.render.contact_sheet import save_contact_sheet

    fonts = Path(__file__).resolve().parent.parent / "assets" / "fonts"
    path = save_contact_sheet(quarter_dir, output, fonts / "NotoSans-Regular.ttf", fonts / "NotoSans-Bold.ttf")
    out.print(f"contact sheet: {display_path(path)}")


@app.command("formats")
def list_formats() -> None:
    """List the output formats with their sizes."""
    table = Table("format", "medium", "size", "description")
    for f in FORMATS.values():
        size = (
            f"{f.trim_mm[0]:.0f} × {f.trim_mm[1]:.0f} mm at {f.dpi} dpi"
            if f.is_print
            else f"{f.width_px} × {f.height_px} px"
        )
        table.add_row(f.name, f.medium, size, f.description)
    out.print(table)


def _version(value: bool) -> None:
    if value:
        out.print(f"taza-studio {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    pass


def main() -> None:
    """Entry point: StudioError becomes one line on stderr and exit code 1, never a traceback."""
    debug = "--debug" in sys.argv
    try:
        code = app(standalone_mode=False)
        sys.exit(code if isinstance(code, int) else 0)
    except StudioError as exc:
        err.print(f"[bold red]error:[/] {exc}", soft_wrap=True)
        if debug:
            raise
        sys.exit(1)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        err.print("interrupted: finished renders are kept, nothing is half-written")
        sys.exit(130)
    except Exception as exc:  # click usage errors and the like
        import click

        if isinstance(exc, click.ClickException):
            exc.show()
            sys.exit(exc.exit_code)
        raise


if __name__ == "__main__":
    main()
