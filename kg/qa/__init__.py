"""Question answering: text normalisation, intent, linking, the vector and lexical indexes,
the graph walk and the composer that turns graph facts into a cited ``Answer``."""
