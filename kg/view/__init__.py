"""The networkx projection of a loaded graph, its snapshot on disk, the one name resolver
and the concept card every face shows."""
