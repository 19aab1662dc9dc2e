"""``kg validate``: report what is wrong with the graph and how to fix each problem."""

from __future__ import annotations

import click

from kg.rdf.validate import ValidationReport, Violation, validate_loaded

from .common import echo_json, graph_options, workspace_from

_HEADINGS = {"violation": "Violations", "warning": "Warnings", "info": "Notes"}
_MARKS = {"violation": "✗", "warning": "!", "info": "i"}


@click.command("validate")
@click.option(
    "--shapes",
    type=click.Path(dir_okay=False, path_type=str),
    default=None,
    help="SHACL shapes file to check the graph against (default: the built-in shapes for "
    "the built-in graph; none for a --graph file, so only the structural checks run).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@graph_options
def validate_command(
    shapes: str | None, as_json: bool, graphs: tuple[str, ...], cache_dir: str | None
) -> None:
    """Check the graph: SHACL shapes plus hierarchy cycles, orphans, labels, dangling links.

    Exits 1 when there is at least one violation; warnings alone exit 0.

    \b
    Examples:
      kg validate
      kg validate --graph my-vocab.ttl --shapes my-shapes.ttl
      kg validate --json
    """
    workspace = workspace_from(graphs, cache_dir)
    report = validate_loaded(workspace.loaded, shapes)
    if as_json:
        echo_json(report.to_dict())
    else:
        _print_report(report, workspace.loaded.sources, workspace.loaded.builtin)
    if not report.conforms:
        raise click.exceptions.Exit(1)


def _print_report(report: ValidationReport, sources: tuple[str, ...], builtin: bool) -> None:
    what = "the built-in graph" if builtin else ", ".join(sources)
    using = (
        f"SHACL ({report.shapes}) and structural checks"
        if report.shapes
        else ("structural checks only (pass --shapes FILE to add SHACL)")
    )
    click.echo(f"Checked {what} ({report.triples} triples) with {using}.")
    for severity, found in report.by_severity().items():
        click.echo(f"\n{_HEADINGS[severity]} ({len(found)})")
        for violation in found:
            _print_violation(violation, _MARKS[severity])
    counts = report.counts()
    verdict = "valid" if report.conforms else "NOT valid"
    click.echo(
        f"\n{verdict}: {counts['violation']} violation(s), {counts['warning']} warning(s), "
        f"{counts['info']} note(s)."
    )


def _print_violation(violation: Violation, mark: str) -> None:
    focus = violation.focus if violation.focus.startswith("_:") else f"<{violation.focus}>"
    click.echo(f"  {mark} {violation.focus_label} {focus}")
    if violation.path_name:
        click.echo(f"      property: {violation.path_name}")
    click.echo(f"      problem:  {violation.message}")
    click.echo(f"      fix:      {violation.fix}")
