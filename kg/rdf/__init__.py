"""RDF in and out: vocabulary terms, the one loader, on-disk stores and SHACL validation.

Nothing here knows about networkx, embeddings or answers; everything downstream starts
from what :mod:`kg.rdf.load` returns.
"""
