"""Every tuned number of the question-answering ranking, each with a name and its reason.

Scores mix cosines (0..1 on unit vectors), word-overlap shares (0..1) and fixed boosts, so the
weights below are on the same 0..1 scale. Changing one changes answers: run ``kg eval`` on the
question sets before and after.
"""

from __future__ import annotations

# --- linking ------------------------------------------------------------------------------
MIN_RETRIEVAL = 0.33  # best cosine needed when no concept is named: below it nothing is close
RETRIEVED_MIN = 0.30  # a FAISS hit weaker than this is noise, not a candidate entity
TOPIC_GUESS = 0.6  # a structural question naming no concept is about the closest one this close
NAMED_RANK_STEP = 0.01  # named concepts keep their question order in the entity list
LEXICAL_WEIGHT = 0.30  # rare-word overlap adds to a data node's cosine, but never outweighs it
DATA_HIT_MIN = 0.30  # data nodes (figures, cells, claims) scoring below this are not candidates
DATA_HITS_KEEP = 15  # data nodes handed to the walk: more only adds noise to rank
HUB_PERCENTILE = 0.97  # nodes above this degree are hubs ("AI"): ranked after specific names
FIGURE_SURE = 0.5  # a reading this sure that a figure is asked declines when none is stated
CHECK_SURE = 0.7  # a reading this sure that "is X a kind of Y" is asked is a yes/no question
DEFINES_SURE = 0.5  # a reading this sure that a definition is asked puts the definition first
READ_SURE = 0.6  # a reading this sure may leave one known word unclaimed ("other challenges")
RELATION_MIN = 0.45  # a relation named in other words: its phrase at least this close in meaning
DEFINE_GUESS = 0.6  # "what is X?" naming no concept, with a word the graph lacks: below this
# cosine the nearest concept is a guess, not X
UNKNOWN_SHARE = 0.6  # a question whose words are mostly unknown to the graph is not answerable

# --- walk: scoring candidate facts ----------------------------------------------------------
ENTITY_RANK_DECAY = 0.08  # facts about the 2nd, 3rd... linked concept count a little less
DEFINITION_BASE_ASKED = 0.55  # a linked concept's definition, when a definition is asked for
DEFINITION_BASE = 0.35  # ... and when something else is asked: context, not the answer
DEFINITION_OVERLAP = 0.30  # a definition that repeats the question's words is more on point
HOP_OWN = 0.70  # beyond one hop, a fact's own score counts this much ...
HOP_INHERITED = 0.35  # ... plus this share of the relevance of the node that led to it
HOP_DECAY = 0.80  # and the whole is damped: far facts must earn their place
DATA_OVERLAP = 0.15  # a retrieved data node that shares the question's words
DATA_ANCHOR = 0.10  # per linked concept a data node is attached to
INTENT_CUE = 0.18  # a node typed as what the intent wants (a "problem" for a limitation ask)
NUMERIC_CUE = 0.12  # a figure, when a statistic is asked for
TYPE_HINT = 0.15  # a member of the class the question asks for ("which framework ...")
FAR_COSINE = 0.55  # an edge is worth the cosine of its far end, scaled (the near end is known)
FAR_LINKED = 0.25  # an edge whose far end the question also names: the question's own link
HIERARCHY_EDGE = 0.15  # broader/narrower edges, when a hierarchy or list is asked for
EDGE_OVERLAP = 0.25  # an edge sentence sharing the question's words beyond the names

# --- engine: lead facts and confidence ------------------------------------------------------
LEAD = 1.0  # a fact the answer plan puts first (definition asked, direct edge asked)
HIERARCHY_EXTRA = 0.95  # another broader chain of the same concept
MEMBERS = 0.92  # the grouped list of narrower concepts, for "kinds of" asks
PATH_MIN = 0.60  # a step of a short path between two named concepts
CONTRAST = 0.90  # "A is powered by X; B by Y": the two sides of a comparison, paired
SHARED_PARENT = 0.50  # "A and B are both kinds of P", when the question asks how they differ
CONTRAST_MAX = 2  # properties paired per comparison: the rest is support, not contrast
CONTRAST_OBJECTS = 3  # a property with more objects per side is a list, not a contrast
ANSWER_TYPE = 0.30  # "which bank ...": a fact naming a bank the question does not name
ANSWER_TYPE_MARGIN = 0.01  # a fact moved up the ranking lands this far above the next one
MIN_FACT = 0.30  # a candidate below this is never shown, even with --full
CONFIDENCE_NAMED = 0.35  # confidence from the question naming a concept of the graph
CONFIDENCE_EVIDENCE = 0.65  # ... and from the best fact or retrieval score
ANSWER_ENTITY_DECAY = 0.80  # the n-th chosen fact weighs its concepts 0.8**n
ANSWER_HINTED = 0.30  # a concept of the asked-for class ranks higher among answer entities

# --- composing -----------------------------------------------------------------------------
SUPPORT_MAX = 3  # supporting sentences after the lead: more is a dump, not an answer
SUPPORT_FLOOR = 0.45  # a supporting fact below this score adds noise, not content
SUPPORT_RATIO = 0.55  # ... nor one far below the best candidate of the same answer
SAME_CONTENT = 0.6  # share of a sentence's content words an earlier one already says: a repeat
SAME_MEANING = 0.85  # node-vector cosine of two prose facts above which one restates the other
SHORT_SENTENCE = 6  # content words of a bare link ("A is the foundation of B") ...
ELABORATES = 0.7  # ... that a later sentence explains when this share of its words is new
NEW_CONTENT = 0.4  # a sentence adding less than this share of new content words is a repeat
SOURCES_SHOWN = 3  # source marks on one sentence: the answer's Sources line lists each once
LIST_MAX = 12  # members named in one list sentence before "and N more"

# --- names said in other words (kg.qa.meant) -------------------------------------------------
MEANT_NAME = 0.85  # cosine of a phrase and a concept's name that names it ("weather phenomena")
MEANT_LEAD = 0.08  # ... ahead of every name the label matcher found inside the phrase
KIND_MEANT = 0.75  # cosine of a list question's word and a name above the topic ("drinks")
TORN_PAIR = 0.6  # a reading torn between up and down (their two chances together at least
# this) is decided by the words that point one way
PASSAGE_AHEAD = 0.35  # a passage this far above a definition outranks it in other words too
