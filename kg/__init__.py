"""kg: an offline knowledge graph and question-answering engine over RDF taxonomies.

Importing this package loads nothing heavy (no torch, model or FAISS).
"""
