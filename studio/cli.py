"""The ``studio`` command. The only code that prints or exits."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from studio import __version__
from studio.errors import StudioError
from studio.files import display_path

if TYPE_CHECKING:  # loaded where used: a re-run with nothing to do never loads the campaign's models
    from studio.batch.runner import BatchResult
    from studio.campaign.models import Campaign
    from studio.plan import Job
    from studio.quarters import Quarter

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Taza Studio: banners, social ads and QR reporting codes for the anti-corruption campaign.",
)
out = Console(highlight=False)
err = Console(stderr=True, highlight=False)

CampaignArg = Annotated[Path, typer.Argument(help="The campaign file, e.g. campaigns/tash-komur-2026.yaml")]
DebugOpt = Annotated[bool, typer.Option("--debug", help="Show tracebacks of internal errors.")]
KeysOpt = Annotated[
    Path | None,
    typer.Option("--keys", envvar="TAZA_KEYS", help="Keys folder (default: ~/.config/taza-studio/keys)."),
]


def _fail(message: str) -> None:
    err.print(f"[bold red]error:[/] {message}", markup=True, soft_wrap=True)
    raise typer.Exit(1)


def _load(path: Path, voices: bool = True, said: list[tuple[str, str]] | None = None) -> Campaign:
    """Load a campaign, printing its warnings and notes (also appended to ``said``, to be said again)."""
    from studio.campaign import load_campaign

    campaign = load_campaign(path, voices=voices)
    notes = []
    if campaign.reporting.placeholder:
        notes.append(
            (
                "warning",
                f"{display_path(path)}: reporting channels are sample placeholders ({campaign.reporting.url}); "
                "replace them and set reporting.placeholder: false before publishing",
            )
        )
    notes += [("note", note) for note in campaign.corrections]
    for label, text in notes:
        err.print(f"[yellow]{label}:[/] {text}", soft_wrap=True)
    if said is not None:
        said += notes
    return campaign


def _split(value: str | None) -> list[str] | None:
    return [v.strip() for v in value.split(",") if v.strip()] if value else None


@app.command()
def validate(campaign_file: CampaignArg) -> None:
    """Check a campaign: fields, assets, fonts and glyphs, designs; every still laid out (text fit, contrast,
    QR size, logo), every script rendered and its voices checked. Errors name file, line, field, value."""
    from studio.campaign.preflight import preflight

    campaign = _load(campaign_file)
    checked = preflight(campaign)
    for note in checked.notes:
        err.print(f"[yellow]note:[/] {note}", soft_wrap=True)
    if checked.problems:
        more = len(checked.problems) - 1
        first = checked.problems[0] + (f" (and {more} more problem{'s' if more > 1 else ''})" if more else "")
        err.print(f"[bold red]error:[/] {first}", soft_wrap=True)
        for problem in checked.problems[1:]:
            err.print(f"[red]also:[/] {problem}", soft_wrap=True)
        raise typer.Exit(1)
    jobs = sum(
        len(d.formats) * len(campaign.deliverable_languages(d)) * len(d.due_quarters) for d in campaign.deliverables
    )
    out.print(
        f"[green]ok[/] {display_path(campaign_file)}: campaign {campaign.id}, "
        f"{len(campaign.deliverables)} deliverables, languages {', '.join(campaign.languages)}, "
        f"{campaign.period.from_}–{campaign.period.to}, {jobs} renders planned in all"
    )


def _select(campaign: Campaign, q: Quarter, only: str | None, lang: str | None, format: str | None) -> list[Job]:
    from studio.formats import FORMATS
    from studio.plan import parse_groups, plan_jobs

    kinds = parse_groups(only)
    langs, formats = _split(lang), _split(format)
    for code in langs or ():
        if code not in campaign.languages:
            _fail(f'--lang: "{code}" is not a language of {campaign.id} ({", ".join(campaign.languages)})')
    newspaper = campaign.newspaper.format_names() if campaign.newspaper else ()
    for name in formats or ():
        if name not in FORMATS and name not in newspaper:
            _fail(f'--format: unknown format "{name}"; known: {", ".join((*FORMATS, *newspaper))}')
    if not campaign.period.from_ <= q <= campaign.period.to:
        _fail(f"--quarter: {q} is outside the campaign period {campaign.period.from_}–{campaign.period.to}")
    return plan_jobs(campaign, q, kinds, langs, formats)


def _quarter(text: str) -> Quarter:
    from studio.quarters import Quarter

    try:
        return Quarter.parse(text)
    except ValueError as exc:
        _fail(f"--quarter: {exc}")
        raise


@app.command()
def render(
    campaign_file: CampaignArg,
    quarter: Annotated[str, typer.Option("--quarter", "-q", help="The quarter to render, e.g. 2026Q1.")],
    only: Annotated[str | None, typer.Option(help="Only these groups: banners, social, videos, pages.")] = None,
    lang: Annotated[str | None, typer.Option(help="Only these languages, e.g. ky or ky,ru.")] = None,
    format: Annotated[str | None, typer.Option("--format", help="Only these formats (comma-separated).")] = None,
    draft: Annotated[bool, typer.Option("--draft", help="Videos: a fast low-resolution preview.")] = False,
    out_dir: Annotated[Path, typer.Option("--out", help="Output folder.")] = Path("renders"),
    workers: Annotated[int, typer.Option(help="Local worker processes (default: every core).")] = 0,
    executor: Annotated[str, typer.Option(help="Where jobs run: local or dask.")] = "local",
    scheduler: Annotated[str | None, typer.Option(help="Dask scheduler address, tcp://HOST:PORT.")] = None,
    keys: KeysOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Render everything due in a quarter: skips what is up to date, runs the rest in parallel."""
    import time

    from studio.batch import noop

    started_ns = time.time_ns()
    if executor == "dask" and not scheduler:
        _fail("--executor dask needs --scheduler tcp://HOST:PORT")
    if executor not in ("local", "dask"):
        _fail(f'--executor: unknown executor "{executor}"; known: local, dask')
    selection = _selection(campaign_file, quarter, only, lang, format, draft, out_dir, keys)
    if _said_unchanged(out_dir, selection):
        return
    noop.forget(out_dir, selection)

    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from studio.batch.executors import DaskExecutor, Executor, LocalExecutor
    from studio.batch.run import JobResult
    from studio.batch.runner import Progress as BatchProgress
    from studio.batch.runner import run_batch
    from studio.kinds import RenderOptions, get_kind
    from studio.plan import parse_groups

    q = _quarter(quarter)
    said: list[tuple[str, str]] = []
    # Stills only: the voices are not checked (nor their engines loaded); `studio validate` checks them.
    campaign = _load(campaign_file, voices=any(get_kind(k).scripted for k in parse_groups(only)), said=said)
    jobs = _select(campaign, q, only, lang, format)
    if not jobs:
        out.print(f"nothing is due in {q} for that selection")
        return
    scripted = {(j.deliverable, j.language) for j in jobs if get_kind(j.kind).scripted}
    if scripted:  # the preflight module loads the layout engine: only when there are scripts to read
        from studio.campaign.preflight import script_corrections

        for note in script_corrections(campaign, scripted):
            err.print(f"[yellow]note:[/] {note}", soft_wrap=True)
    runner: Executor = DaskExecutor(str(scheduler)) if executor == "dask" else LocalExecutor(workers)
    options = RenderOptions(
        cache_dir=str((out_dir / ".cache" / "speech").resolve()), draft=draft, keys_dir=str(keys) if keys else None
    )

    def stamp(result: BatchResult) -> None:
        """A complete run of stills leaves its stamp, so that an unchanged re-run ends at once."""
        if scripted or result.failures or result.warnings or any(r.notices for r in result.results):
            return
        try:
            _stamp(campaign, out_dir, selection, started_ns, result, said)
        except (OSError, ValueError):  # only a shortcut for the next run: never a reason to fail this one
            noop.forget(out_dir, selection)

    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[failed]} failed · {task.fields[skipped]} up to date"),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=err,
        transient=False,
    ) as bar:
        task = bar.add_task(f"{campaign.id} {q}", total=len(jobs), failed=0, skipped=0)
        failed = 0
        shown: set[str] = set()  # a notice shared by many jobs (e.g. espeak standing in for RHVoice) shows once

        def on_plan(todo: int, skipped: int) -> None:
            bar.update(task, completed=skipped, skipped=skipped)

        def on_result(result: JobResult) -> None:
            nonlocal failed
            failed += bool(result.error)
            for notice in result.notices:
                if notice not in shown:
                    shown.add(notice)
                    bar.console.print(f"[yellow]note:[/] {notice}", soft_wrap=True)
            bar.update(task, advance=1, failed=failed)

        result = run_batch(
            campaign, str(q), jobs, out_dir, runner, options, BatchProgress(on_plan, on_result), after=stamp
        )

    for warning in result.warnings:
        err.print(f"[yellow]warning:[/] {warning}", soft_wrap=True)
    files = sum(len(r.entries) for r in result.results if not r.error)
    done = len(result.results) - len(result.failures)
    _summary(result.quarter_dir, done, files, len(result.skipped), len(result.failures), len(jobs))
    if result.failures:
        for failure in result.failures:
            err.print(f"[bold red]failed:[/] {failure.error}", soft_wrap=True)
            if debug and failure.detail:
                err.print(failure.detail)
        _fail(failure_summary(len(result.failures), len(jobs), done, len(result.skipped)))


def _selection(
    campaign_file: Path,
    quarter: str,
    only: str | None,
    lang: str | None,
    format: str | None,
    draft: bool,
    out_dir: Path,
    keys: Path | None,
) -> str:
    """The name under which a render's selection keeps its stamp (``studio.batch.noop``)."""
    from studio.batch import noop

    return noop.selection_key(
        campaign=campaign_file.resolve(),
        quarter=quarter,
        only=only,
        lang=lang,
        format=format,
        draft=draft,
        out=out_dir.resolve(),
        keys=keys,
    )


def _said_unchanged(out_dir: Path, selection: str) -> bool:
    """When nothing was read or written since the selection's last complete run: say so, as it did."""
    from studio.batch import noop

    last = noop.unchanged(out_dir, selection)
    if last is None:
        return False
    for label, text in last.messages:
        err.print(f"[yellow]{label}:[/] {text}", soft_wrap=True)
    quarter_dir = Path(last.quarter_dir)
    name = f"{quarter_dir.parent.name} {quarter_dir.name}"
    err.print(f"{name}: all {last.jobs} jobs up to date, nothing changed since the last render", soft_wrap=True)
    _summary(quarter_dir, 0, 0, last.jobs, 0, last.jobs)
    return True


#: ``studio render`` options read before the command-line parser loads (value-taking ones, then flags).
_RENDER_VALUES = {
    "--quarter": "quarter",
    "-q": "quarter",
    "--only": "only",
    "--lang": "lang",
    "--format": "format",
    "--out": "out",
    "--workers": "workers",
    "--executor": "executor",
    "--scheduler": "scheduler",
    "--keys": "keys",
}
_RENDER_FLAGS = {"--draft": "draft", "--debug": "debug"}


def _unchanged_render(args: list[str]) -> bool:
    """``studio render`` of a selection with nothing to do, answered before the command-line parser
    (which alone takes a tenth of a second) loads. Anything unusual (help, an unknown or repeated
    option, a bad value) returns False, and the full parser handles it as always; a stamp is found
    only under the very values the full command recorded it with."""
    import os

    if not args or args[0] != "render":
        return False
    values: dict[str, str] = {}
    flags: set[str] = set()
    positional: list[str] = []
    rest = iter(args[1:])
    for arg in rest:
        name, eq, inline = arg.partition("=")
        if arg.startswith("-") and name in _RENDER_VALUES:
            value = inline if eq else next(rest, None)
            if value is None or value.startswith("-") or _RENDER_VALUES[name] in values:
                return False
            values[_RENDER_VALUES[name]] = value
        elif arg in _RENDER_FLAGS and _RENDER_FLAGS[arg] not in flags:
            flags.add(_RENDER_FLAGS[arg])
        elif arg.startswith("-"):
            return False
        else:
            positional.append(arg)
    if len(positional) != 1 or "quarter" not in values or not values.get("workers", "0").isdigit():
        return False
    executor = values.get("executor", "local")
    if executor not in ("local", "dask") or (executor == "dask" and not values.get("scheduler")):
        return False
    keys = values.get("keys", os.environ.get("TAZA_KEYS"))
    if keys == "":
        return False
    out_dir = Path(values.get("out", "renders"))
    selection = _selection(
        Path(positional[0]),
        values["quarter"],
        values.get("only"),
        values.get("lang"),
        values.get("format"),
        "draft" in flags,
        out_dir,
        Path(keys) if keys is not None else None,
    )
    return _said_unchanged(out_dir, selection)


def _summary(quarter_dir: Path, done: int, files: int, skipped: int, failed: int, jobs: int) -> None:
    out.print(
        f"{done} rendered ({files} files), {skipped} up to date, {failed} failed, "
        f"of {jobs} jobs in {display_path(quarter_dir)}",
        soft_wrap=True,
    )
    out.print(f"manifest: {display_path(quarter_dir / 'manifest.json')}", soft_wrap=True)
    out.print(
        f"review gallery: {display_path(quarter_dir / 'index.html')}; "
        f"report: {display_path(quarter_dir / 'report.ky.md')} (and .ru, .html, .csv)",
        soft_wrap=True,
    )


def _stamp(
    campaign: Campaign,
    out_dir: Path,
    selection: str,
    started_ns: int,
    result: BatchResult,
    said: list[tuple[str, str]],
) -> None:
    """Record what a complete run read and left (``studio.batch.noop``)."""
    import studio
    from studio.batch import noop
    from studio.batch.manifest import MANIFEST_NAME
    from studio.campaign import character_folder
    from studio.review import DB_NAME

    root = campaign.root
    source = campaign.source
    inputs = [source, *noop.tree(source.parent), *noop.tree(root / "templates"), *noop.tree(root / "assets")]
    for path in noop.paths_in(campaign.model_dump()):
        inputs += noop.tree(root / path)
    for name in campaign.characters.values():
        folder = character_folder(root, name)
        if folder is not None:
            inputs += noop.tree(folder)
    inputs += noop.tree(Path(studio.__file__).parent)  # the code: any change of it is a full run
    inputs += [out_dir / DB_NAME, out_dir / f"{DB_NAME}-wal"]  # approvals
    quarter_dir = result.quarter_dir
    campaign_dir = quarter_dir.parent
    others = [p for p in campaign_dir.glob(f"*/{MANIFEST_NAME}") if p.parent != quarter_dir]  # in the report
    inputs += others
    known = {quarter_dir / e.path: e.sha256 for e in result.entries.values()}
    folders = [p for p in noop.tree(quarter_dir) if p.is_dir()]
    outputs = [campaign_dir, *folders, quarter_dir / MANIFEST_NAME, *known, *result.review]
    jobs = len(result.skipped) + len(result.results)
    noop.write_stamp(
        out_dir,
        selection,
        started_ns=started_ns,
        inputs=inputs,
        outputs=outputs,
        known=known,
        stamp=noop.Stamp(str(quarter_dir.resolve()), jobs, tuple(said)),
    )


def failure_summary(failed: int, jobs: int, rendered: int, up_to_date: int) -> str:
    """One honest line: how many failed, and what became of the rest."""
    head = f"all {jobs} jobs failed" if failed == jobs else f"{failed} of {jobs} jobs failed"
    rest = []
    if rendered:
        rest.append(f"{rendered} {'was' if rendered == 1 else 'were'} rendered")
    if up_to_date:
        rest.append(f"{up_to_date} {'was' if up_to_date == 1 else 'were'} already up to date")
    return f"{head}; " + (" and ".join(rest) if rest else "nothing was rendered")


@app.command()
def plan(
    campaign_file: CampaignArg,
    quarter: Annotated[str | None, typer.Option("--quarter", "-q", help="Only this quarter.")] = None,
    out_dir: Annotated[Path, typer.Option("--out", help="Where renders are looked for.")] = Path("renders"),
) -> None:
    """The jobs due each quarter (deliverable × language × format) and whether they are rendered."""
    from rich.table import Table

    from studio.batch.keys import content_key
    from studio.batch.manifest import read_manifest
    from studio.batch.runner import up_to_date
    from studio.plan import plan_jobs
    from studio.quarters import quarters_between

    campaign = _load(campaign_file)
    quarters = [_quarter(quarter)] if quarter else list(quarters_between(campaign.period.from_, campaign.period.to))
    table = Table("quarter", "deliverable", "kind", "language", "format", "status")
    counts = {"rendered": 0, "out of date": 0, "to do": 0}
    for q in quarters:
        quarter_dir = out_dir / campaign.id / str(q)
        entries, _ = read_manifest(quarter_dir)
        for job in plan_jobs(campaign, q):
            if up_to_date(entries, job, content_key(campaign, job), quarter_dir, False):
                status = "rendered"
            elif any(e.is_job(job, draft=False) for e in entries.values()):
                status = "out of date"
            else:
                status = "to do"
            counts[status] += 1
            style = {"rendered": "green", "out of date": "yellow", "to do": ""}[status]
            table.add_row(
                str(q),
                job.deliverable,
                job.kind,
                job.language,
                job.format,
                f"[{style}]{status}[/]" if style else status,
            )
    # Whole names even when piped or logged (a terminal keeps its own width).
    wide = out if out.is_terminal else Console(highlight=False, width=160)
    wide.print(table)
    out.print(", ".join(f"{n} {name}" for name, n in counts.items()) + f" ({sum(counts.values())} jobs)")


@app.command()
def report(
    campaign_file: CampaignArg,
    quarter: Annotated[str, typer.Option("--quarter", "-q", help="The quarter to report on, e.g. 2026Q1.")],
    out_dir: Annotated[Path, typer.Option("--out", help="Where the renders are.")] = Path("renders"),
) -> None:
    """The quarterly report for the mayoralty: produced against the plan, in Kyrgyz and Russian."""
    import datetime as dt

    from studio.batch.manifest import read_manifests
    from studio.report import build_quarterly_report, write_report

    q = _quarter(quarter)
    campaign = _load(campaign_file)
    report = build_quarterly_report(campaign, q, read_manifests(out_dir, campaign.id), dt.date.today())
    folder = out_dir / campaign.id / str(q)
    folder.mkdir(parents=True, exist_ok=True)
    paths = write_report(report, folder)
    late = " — LATE" if report.late else ""
    out.print(f"report for {q}, due to the mayoralty by {report.due.isoformat()}{late}:")
    for path in paths:
        out.print(f"  {display_path(path)}")


@app.command()
def verify(
    paths: Annotated[list[Path], typer.Argument(help="Renders to check (files, or folders of renders).")],
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
    trust: Annotated[
        Path | None,
        typer.Option(
            help="Trust anchor (PEM) or keys folder the signatures must chain to; default: the keys of "
            "--keys / TAZA_KEYS (as for studio render), else this machine's keys, when they exist."
        ),
    ] = None,
    campaign_file: Annotated[
        Path | None, typer.Option("--campaign", help="The campaign, when its badge font is not the bundled one.")
    ] = None,
    keys: KeysOpt = None,
    against: Annotated[
        Path | None,
        typer.Option(
            help="Trace copies (from a messenger, metadata gone) back to these renders, e.g. "
            "renders/tash-komur-2026/2026Q1 or renders/tash-komur-2026: watermark, fingerprints, what changed."
        ),
    ] = None,
) -> None:
    """Check renders: visible badge, spoken disclosure, XMP, C2PA signature, QR code. Exit 1 on any failure.

    With --against: say which render each copy came from and what changed; exit 1 unless every copy is one.
    """
    import json

    if against is not None:
        _trace_copies(paths, against, as_json)
        return

    from studio.campaign import load_campaign
    from studio.label import KeyFiles, default_keys_folder
    from studio.verify import BadgeStyle, reports_json, reports_table, summarize, verify_paths

    # The same keys as ``studio render`` (--keys or TAZA_KEYS, else this machine's): what it signed, verify trusts.
    folder = keys or default_keys_folder()
    if trust is None and KeyFiles(folder).trust_anchor.exists():
        trust = KeyFiles(folder).trust_anchor
    badge = BadgeStyle.of(load_campaign(campaign_file)) if campaign_file else None
    reports = verify_paths(paths, trust_anchors=trust, badge=badge)
    if as_json:
        print(json.dumps(reports_json(reports), ensure_ascii=False, indent=2))
    else:
        out.print(reports_table(reports), markup=False, highlight=False, soft_wrap=True)
    if not summarize(reports).ok:
        raise typer.Exit(1)


def _trace_copies(paths: list[Path], against: Path, as_json: bool) -> None:
    import json

    from rich.text import Text

    from studio.verify.copies import load_renders, trace_copy

    renders = load_renders(against)
    ok = True
    results = []
    for path in paths:
        try:
            report = trace_copy(path, renders)
        except StudioError as exc:
            ok = False
            results.append({"path": str(path), "verdict": "error", "error": str(exc)})
            if not as_json:
                err.print(Text.assemble(("error:", "bold red"), f" {exc}"), soft_wrap=True, highlight=False)
            continue
        ok = ok and report.ok
        results.append(report.to_dict())
        if not as_json:
            for line in report.lines():
                out.print(line, markup=False, highlight=False, soft_wrap=True)
    if as_json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
    if not ok:
        raise typer.Exit(1)


@app.command()
def preflight(
    pdf: Annotated[
        Path, typer.Argument(help="A print PDF, e.g. renders/…/2026Q1/newspaper-ad/ky/newspaper-quarter.pdf")
    ],
    lang: Annotated[str, typer.Option("--lang", help="Language of the report: ky, ru or en.")] = "ky",
) -> None:
    """What the print shop checks: sizes, bleed, colour profile, ink, smallest text, resolution, QR. Exit 1
    on a problem."""
    from rich.table import Table

    from studio.press.preflight import inspect_pdf, passed, report_rows
    from studio.press.words import LANGUAGES, word

    if lang not in LANGUAGES:
        _fail(f'--lang: unknown language "{lang}"; known: {", ".join(LANGUAGES)}')
    if not pdf.is_file():
        _fail(f"{pdf}: no such file")
    rows = report_rows(inspect_pdf(pdf), lang)
    table = Table(title=f"{word(lang, 'title')}: {display_path(pdf)}", show_header=False)
    table.add_column()
    table.add_column()
    table.add_column()
    for row in rows[1:]:  # the file is the title
        mark = "" if row.ok is None else (word(lang, "ok") if row.ok else word(lang, "problem"))
        table.add_row(row.label, row.value, mark)
    out.print(table, markup=False, highlight=False, soft_wrap=True)
    ok = passed(rows)
    out.print(word(lang, "verdict_ok" if ok else "verdict_bad"), markup=False)
    if not ok:
        raise typer.Exit(1)


@app.command("contact-sheet")
def contact_sheet(
    quarter_dir: Annotated[Path, typer.Argument(help="A rendered quarter, e.g. renders/tash-komur-2026/2026Q1")],
    output: Annotated[Path, typer.Option("--output", "-o", help="The PNG to write.")] = Path("contact-sheet.png"),
) -> None:
    """One PNG with every social image and print proof of a rendered quarter, labelled."""
    from studio.stills.contact_sheet import save_contact_sheet

    fonts = Path(__file__).resolve().parent.parent / "assets" / "fonts"
    path = save_contact_sheet(quarter_dir, output, fonts / "NotoSans-Regular.ttf", fonts / "NotoSans-Bold.ttf")
    out.print(f"contact sheet: {display_path(path)}")


keys_app = typer.Typer(help="The organisation's signing keys for synthetic-media content credentials.")
app.add_typer(keys_app, name="keys")


@keys_app.command("init")
def keys_init(
    organisation: Annotated[
        str, typer.Option(help="Who signs, as the certificates will say.")
    ] = "Tash-Kömür City Hall",
    keys: KeysOpt = None,
    if_missing: Annotated[bool, typer.Option("--if-missing", help="Do nothing when keys exist.")] = False,
    overwrite: Annotated[
        bool,
        typer.Option(
            help="Replace existing keys (renders signed before stay valid only for whoever keeps the old trust anchor)."
        ),
    ] = False,
) -> None:
    """Create the signing keys: a CA and a signing certificate under it, kept outside the project."""
    from studio.label import KeyFiles, default_keys_folder, init_keys

    folder = keys or default_keys_folder()
    if if_missing and KeyFiles(folder).private_key.exists():
        out.print(f"signing keys already in {display_path(folder)}")
        return
    files = init_keys(folder, organisation, overwrite=overwrite)
    out.print(f"signing keys created in {display_path(folder)} (private key readable only by you)")
    out.print(f"trust anchor to share with fact-checkers: {display_path(files.trust_anchor)}")


voices_app = typer.Typer(help="The voices this machine has, and samples of them.", invoke_without_command=True)
app.add_typer(voices_app, name="voices")


@voices_app.callback()
def voices(ctx: typer.Context) -> None:
    """List the voices found: engine, voice, language, gender, licence and engine version."""
    if ctx.invoked_subcommand is not None:
        return
    from rich.table import Table

    from studio.voice import rhvoice
    from studio.voice.catalog import voice_rows

    table = Table("engine", "voice", "language", "gender", "licence", "version")
    table.columns[4].overflow = "fold"  # a licence is never cut short
    for row in voice_rows():
        name = row.voice if row.offline else f"{row.voice} (online)"
        table.add_row(row.engine, name, row.language, row.gender, row.licence, row.version)
    out.print(table)
    if not rhvoice.available():
        out.print(f"RHVoice (natural Kyrgyz and Russian voices) is not installed; {rhvoice.INSTALL_HINT}")
    else:
        out.print("Voices under LGPL-2.1+ may be used freely; CC-BY-NC-ND voices forbid commercial use and changes.")


@voices_app.command("sample")
def voices_sample(
    voice: Annotated[str, typer.Argument(help="An RHVoice voice (Azamat, Nazgul, Aleksandr, …) or espeak.")],
    text: Annotated[str, typer.Argument(help="What to say.")],
    output: Annotated[Path | None, typer.Option("-o", "--output", help="WAV file to write.")] = None,
    lang: Annotated[str | None, typer.Option(help="Language (espeak: ky, ru or en; default ky).")] = None,
) -> None:
    """Speak a short text with one voice into a WAV file."""
    from studio.voice.catalog import sample

    dest = output or Path(f"sample-{voice.lower()}.wav")
    path, speech, spoken = sample(voice, text, dest, lang)
    out.print(
        f"{display_path(path)}: {speech.duration_s:.1f} s of {spoken} speech, {speech.sample_rate_hz} Hz",
        soft_wrap=True,
    )


@app.command("formats")
def list_formats() -> None:
    """List the output formats with their sizes."""
    from rich.table import Table

    from studio.formats import FORMATS

    table = Table("format", "medium", "size", "description")
    for f in FORMATS.values():
        if f.audio is not None:
            length = f"{f.audio.slot_s:g} s" if f.audio.slot_s else "script length"
            size = f"{length}, {f.audio.extension.upper()}"
        elif f.is_print:
            size = f"{f.trim_mm[0]:.0f} × {f.trim_mm[1]:.0f} mm at {f.dpi} dpi"
        else:
            size = f"{f.width_px} × {f.height_px} px"
        table.add_row(f.name, f.medium, size, f.description)
    out.print(table)


@app.command()
def serve(
    campaign_files: Annotated[
        list[Path] | None, typer.Argument(help="Campaign files to review (default: every campaigns/*.yaml).")
    ] = None,
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    host: Annotated[
        str, typer.Option(help="Address to listen on; 127.0.0.1 is this computer only, 0.0.0.0 the whole network.")
    ] = "127.0.0.1",
    out_dir: Annotated[Path, typer.Option("--out", help="Where the renders are.")] = Path("renders"),
    workers: Annotated[int, typer.Option(help="Worker processes for renders started in the browser.")] = 0,
    keys: KeysOpt = None,
) -> None:
    """Review and approve renders in the browser, start renders, download publish packs."""
    import uvicorn

    from studio.review import ReviewDB
    from studio.web.app import create_app

    paths = list(campaign_files or sorted(Path("campaigns").glob("*.yaml")))
    if not paths:
        _fail("no campaign files given and none in campaigns/")
    for path in paths:
        _load(path)
    application = create_app(paths, out_dir, workers, keys)
    if not ReviewDB(out_dir).users():
        err.print(
            "[yellow]warning:[/] nobody can log in yet: create a user first, e.g. "
            f"studio users add NAME --role lead --out {out_dir}",
            soft_wrap=True,
        )
    out.print(f"Taza Studio review: http://{host}:{port}/  (Ctrl+C to stop)")
    uvicorn.run(application, host=host, port=port, log_level="warning")


users_app = typer.Typer(help="People who may log in to studio serve, and their roles (lead, editor, viewer).")
app.add_typer(users_app, name="users")
UsersOut = Annotated[Path, typer.Option("--out", help="The renders folder whose review database holds the users.")]
PasswordStdin = Annotated[
    bool, typer.Option("--password-stdin", help="Read the password from standard input (for scripts).")
]


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    password: str = typer.prompt("password", hide_input=True, confirmation_prompt=True)
    return password


@users_app.command("add")
def users_add(
    name: Annotated[str, typer.Argument(help="Log-in name, e.g. aida")],
    role: Annotated[str, typer.Option(help="lead (approves), editor (starts renders) or viewer (looks).")],
    out_dir: UsersOut = Path("renders"),
    password_stdin: PasswordStdin = False,
) -> None:
    """Create a user; asks for the password twice."""
    from studio.review import ROLES, ReviewDB

    if role not in ROLES:
        _fail(f'--role: unknown role "{role}"; known: {", ".join(ROLES)}')
    ReviewDB(out_dir).add_user(name, role, _password(password_stdin))
    out.print(f"user {name} added as {role}")


@users_app.command("passwd")
def users_passwd(
    name: Annotated[str, typer.Argument(help="Log-in name")],
    out_dir: UsersOut = Path("renders"),
    password_stdin: PasswordStdin = False,
) -> None:
    """Set a new password (logs the user out everywhere)."""
    from studio.review import ReviewDB

    ReviewDB(out_dir).set_password(name, _password(password_stdin))
    out.print(f"password of {name} changed")


@users_app.command("remove")
def users_remove(name: Annotated[str, typer.Argument(help="Log-in name")], out_dir: UsersOut = Path("renders")) -> None:
    """Remove a user (their past approvals stay in the history)."""
    from studio.review import ReviewDB

    ReviewDB(out_dir).remove_user(name)
    out.print(f"user {name} removed")


@users_app.command("list")
def users_list(out_dir: UsersOut = Path("renders")) -> None:
    """Every user and role."""
    from studio.review import ReviewDB

    for user in ReviewDB(out_dir).users():
        out.print(f"{user.name}\t{user.role}")


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
        if _unchanged_render(sys.argv[1:]):
            sys.exit(0)
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
