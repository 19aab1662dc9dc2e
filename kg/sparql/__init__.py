"""Read-only SPARQL: the screen and checks that refuse updates and remote access, the two
engines (Oxigraph, rdflib), result writers, and the forked worker pool that runs them."""
