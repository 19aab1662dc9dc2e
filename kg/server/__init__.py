"""The HTTP face: a Starlette app serving the SPARQL 1.1 protocol, ``/ask`` and the browser app."""
