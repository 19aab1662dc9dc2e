"""``kg mcp``: the graph for LLM agents over the Model Context Protocol (read-only tools)."""
