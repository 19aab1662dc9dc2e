"""``kg show``: everything the graph says about one concept, as a readable card."""

from __future__ import annotations

import click

from kg.view.concepts import ConceptCard, describe, graph_prefixes, resolve

from .common import echo_json, graph_options, workspace_from


@click.command("show")
@click.argument("concept")
@click.option("--json", "as_json", is_flag=True, help="Print the card as JSON.")
@graph_options
def show_command(
    concept: str, as_json: bool, graphs: tuple[str, ...], cache_dir: str | None
) -> None:
    """Show one CONCEPT: type, definition, broader chain, narrower, relations, figures, sources.

    Links into other vocabularies (skos:exactMatch, closeMatch, owl:sameAs...) whose targets
    the graph does not describe are listed as external links.

    CONCEPT may be a label, an alternative label, a local name, a prefixed name or an IRI;
    case, hyphens and plurals do not matter. Close names are suggested when nothing matches.

    \b
    Examples:
      kg show Transformers
      kg show "large language model"
      kg show ai:DeepLearning --json
    """
    workspace = workspace_from(graphs, cache_dir)
    iri = resolve(workspace.names, concept, graph_prefixes(workspace.graph))
    card = describe(workspace.view, workspace.graph, iri)
    if as_json:
        echo_json(card.to_dict())
    else:
        _print_card(card)


def _print_card(card: ConceptCard) -> None:
    click.echo(click.style(card.label, bold=True) + f"  <{card.iri}>")
    if card.alt_labels:
        click.echo(f"Also called: {', '.join(card.alt_labels)}")
    many = len(card.names_by_language) > 1
    if many:
        click.echo("Labels:")
    for lang, kinds in sorted(card.names_by_language.items()):
        if not many and not kinds.get("related"):
            continue
        names = kinds.get("pref", []) + [f"{a} (alt.)" for a in kinds.get("alt", [])]
        names += [f"{r} (related)" for r in kinds.get("related", [])]
        click.echo(f"  {lang or 'untagged'}: {'; '.join(names)}")
    if card.types:
        click.echo(f"Type: {', '.join(card.types)}")
    click.echo(f"\n{card.definition or '(no definition in the graph)'}")
    if card.broader_chains:
        click.echo("\nBroader:")
        for chain in card.broader_chains:
            click.echo("  " + " → ".join(chain))
    elif card.is_concept:
        click.echo("\nBroader: (top of the hierarchy)")
    if card.narrower:
        click.echo("\nNarrower:")
        for ref in card.narrower:
            click.echo(f"  - {ref.label}")
    if card.relations_out or card.relations_in:
        click.echo("\nRelations:")
        for rel in card.relations_out:
            click.echo(f"  {card.label} — {rel.predicate_label} → {rel.label}")
        for rel in card.relations_in:
            click.echo(f"  {rel.label} — {rel.predicate_label} → {card.label}")
    if card.attributes:
        click.echo("\nValues:")
        for attr in card.attributes:
            click.echo(f"  {attr.name}: {attr.value}")
    if card.figures:
        click.echo("\nFigures and data:")
        for fig in card.figures:
            click.echo(f"  - {fig.label}" + (f": {fig.description}" if fig.description else ""))
            for attr in fig.attributes:
                click.echo(f"      {attr.name}: {attr.value}")
    if card.external_links:
        click.echo("\nExternal links (other vocabularies):")
        for link in card.external_links:
            click.echo(f"  {link.predicate_label}: {link.iri}")
    if card.sources:
        click.echo("\nSources:")
        for src in card.sources:
            click.echo(f"  - {src.title}" + (f"  <{src.iri}>" if src.iri else ""))
