"""``kg ask``: answer questions from the graph (one, a batch, or interactively)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .common import echo_json, graph_options, workspace_from
from .progress import index_progress

__all__ = ["ask"]


def _print_answer(answer, explain: bool) -> None:
    click.echo(answer.text)
    if answer.abstained:
        return
    if explain:
        click.echo("")
        click.echo(click.style("Intent: ", bold=True) + ", ".join(answer.intent or ["-"]))
        click.echo(click.style("Entities:", bold=True))
        for e in answer.entities:
            click.echo(f"  {e.score:5.2f}  {e.label}  <{e.iri}>")
        click.echo(click.style("Facts:", bold=True))
        for f in answer.facts:
            click.echo(f"  {f.score:5.2f}  <{f.subject}> <{f.predicate}> "
                       f"{f.object if f.object_is_literal else '<' + f.object + '>'}")
        click.echo(click.style("SPARQL:", bold=True))
        click.echo(answer.sparql)
    click.echo(click.style(f"(confidence {answer.confidence:.2f})", dim=True))


def _read_batch(source: str) -> list[tuple[str | None, str]]:
    """Lines of a batch file: plain questions or JSON objects with id and question."""
    if source == "-":
        text = sys.stdin.read()
    else:
        path = Path(source)
        if not path.is_file():
            raise click.BadParameter(f"{source}: no such file", param_hint="--batch")
        text = path.read_text(encoding="utf-8", errors="replace")
    items: list[tuple[str | None, str]] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        if line.lstrip().startswith("{"):
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise click.BadParameter(f"line {number}: not valid JSON ({exc.msg})",
                                         param_hint="--batch") from None
            if not isinstance(obj, dict) or not isinstance(obj.get("question"), str):
                raise click.BadParameter(f"line {number}: expected an object with a "
                                         "'question' string", param_hint="--batch")
            items.append((str(obj["id"]) if "id" in obj else None, obj["question"]))
        else:
            items.append((None, line))
    return items


def _interactive(engine, top_k: int, hops: int, explain: bool, full: bool = False) -> None:
    try:
        import readline  # noqa: F401 - gives input() line editing and history
    except ImportError:  # pragma: no cover - not on every platform
        pass
    click.echo("Ask a question about the graph (empty line or Ctrl-D to quit).")
    while True:
        try:
            question = input("? ")
        except (EOFError, KeyboardInterrupt):
            click.echo("")
            return
        if not question.strip():
            return
        _print_answer(engine.ask(question, top_k=top_k, hops=hops, full=full), explain)
        click.echo("")


@click.command()
@click.argument("question", required=False)
@click.option("--json", "as_json", is_flag=True,
              help="Print the answer as JSON (schema in README).")
@click.option("--batch", metavar="FILE|-",
              help="Answer every line of FILE (or stdin): plain questions, or JSON Lines with "
                   "'id' and 'question'. Writes one JSON object per line.")
@click.option("--top-k", type=click.IntRange(1, 50), default=5, show_default=True,
              help="How many entities to link and report.")
@click.option("--hops", type=click.IntRange(1, 4), default=2, show_default=True,
              help="How far the graph walk goes from each linked entity.")
@click.option("--explain", is_flag=True, help="Also show intent, scores, triples and SPARQL.")
@click.option("--full", is_flag=True,
              help="Show every ranked fact with its score instead of the short answer "
                   "(the direct answer first, then at most a few supporting sentences).")
@click.option("--export", "export_path", type=click.Path(dir_okay=False),
              help="Also write the subgraph behind the answer (format from the extension).")
@graph_options
def ask(question, as_json, batch, top_k, hops, explain, full, export_path, graphs,
        cache_dir):
    """Answer a question from the graph, citing the source of every sentence.

    \b
    Examples:
      kg ask "how does generative AI relate to deep learning?"
      kg ask --json "what is a GAN?"
      kg ask --full "what is a GAN?"      (every ranked fact, with scores)
      kg ask --batch questions.jsonl > answers.jsonl
      kg ask            (no question: interactive prompt)

    The answer is composed only from graph facts; when the graph does not hold the
    answer, the tool says so and lists the nearest concepts.
    """
    ws = workspace_from(graphs, cache_dir)
    with index_progress(quiet=as_json or bool(batch)) as (progress, notify):
        engine = ws.get_engine(progress, notify)
    if batch:
        for qid, text in _read_batch(batch):
            result = engine.ask(text, top_k=top_k, hops=hops, full=full).to_dict()
            if qid is not None:
                result = {"id": qid, **result}
            sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
        return
    if question is None:
        if as_json:
            raise click.UsageError("--json needs a QUESTION (or use --batch).")
        _interactive(engine, top_k, hops, explain, full)
        return
    answer = engine.ask(question, top_k=top_k, hops=hops, full=full)
    if as_json:
        echo_json(answer.to_dict())
    else:
        _print_answer(answer, explain)
    if export_path:
        _export_answer(ws, answer, export_path)


def _export_answer(ws, answer, path: str) -> None:
    """Write the subgraph behind an answer; the format comes from the file extension."""
    from kg.export import export_subgraph, format_for_path
    from kg.files import write_atomically

    fmt = format_for_path(path)
    if fmt is None:
        raise click.UsageError(f"cannot tell the export format from {path!r}; use an "
                               "extension such as .html, .graphml, .dot, .svg or .ttl.")
    if answer.abstained:
        raise click.UsageError("the graph holds no answer to this question, so there is "
                               "nothing to export.")
    write_atomically(Path(path), lambda stream: export_subgraph(
        ws.view, ws.graph, answer.node_iris(), fmt, stream, title=answer.question[:80]),
        parents=False)
    click.echo(f"wrote the subgraph behind the answer to {path}", err=True)
