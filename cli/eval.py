"""``kg eval``: score this engine and two baselines on a question set, in one run."""

from __future__ import annotations

import json
from pathlib import Path

import click

from .common import echo_json, graph_options, workspace_from
from .progress import index_progress

__all__ = ["eval_command"]


@click.command("eval")
@click.argument("questions", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--scorer", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Score with this external score.py (same question schema) instead of the "
                   "built-in scorer; the precision figures are added either way.")
@click.option("--system", "systems", multiple=True, type=click.Choice(["graph", "bm25", "dense"]),
              help="Run only these systems (default: all three).")
@click.option("--predictions", "pred_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Also write each system's predictions as JSON Lines into this folder.")
@click.option("--json", "as_json", is_flag=True, help="Print all metrics as JSON.")
@graph_options
def eval_command(questions, scorer, systems, pred_dir, as_json, graphs, cache_dir):
    """Answer QUESTIONS (JSON Lines, the shared eval schema) with three systems and score them.

    \b
    Systems: graph (this engine: linking + graph walk + composition),
             bm25  (BM25 over the same entity documents),
             dense (FAISS retrieval without the graph walk).
    Figures: Hit@1/Hit@5/MRR, fact recall, abstention F1 and the score (recall side);
             lead (first sentence holds a gold fact), repeats, median words and
             precision (reader side: a score that rises while answers grow is no gain).
    Examples:
      kg eval eval/own_qa.jsonl
      kg eval eval/heldout_qa.jsonl --system graph --predictions out/
    """
    from kg.qa.evaluate import SYSTEMS, load_questions, run_eval

    ws = workspace_from(graphs, cache_dir)
    items = load_questions(questions)
    with index_progress(quiet=as_json) as (progress, notify):
        ws.get_engine(progress, notify)
        results = run_eval(ws, items, questions, scorer, systems or SYSTEMS)
    if pred_dir:
        pred_dir.mkdir(parents=True, exist_ok=True)
        for r in results:
            with (pred_dir / f"{r.system}.jsonl").open("w", encoding="utf-8") as fh:
                for p in r.predictions:
                    fh.write(json.dumps(p, ensure_ascii=False) + "\n")
    if as_json:
        echo_json({r.system: r.metrics for r in results})
        return
    for r in results:
        click.echo(click.style(f"== {r.system} ==", bold=True))
        click.echo(r.report)
    click.echo(click.style("Summary", bold=True))
    click.echo(f"{'system':<8}{'score':>8}{'Hit@5':>8}{'FactRec':>9}{'AbstF1':>8}"
               f"{'lead':>7}{'repeats':>9}{'words':>7}{'precision':>11}")
    for r in results:
        o, p = r.metrics["overall"], r.metrics["precision"]
        click.echo(f"{r.system:<8}{r.metrics['score']:>8.1f}{o['hit@5'] or 0:>8.3f}"
                   f"{o['fact_recall'] or 0:>9.3f}{o['abstain_f1']:>8.3f}"
                   f"{p.get('lead', 0):>7.3f}{p.get('repeats', 0):>9.3f}"
                   f"{p.get('median_words', 0):>7.0f}{p['precision']:>11.1f}")
