"""The parts of the tag stage besides places, one concern per module (all pure).

``govcase.tag.tag`` composes them with ``govcase.places``:

- ``lexicon``        measure and mechanism lexicons (data/lexicon/), their conditions and shadows
- ``surfaces``       the automaton that finds every lexicon surface in one pass
- ``alternation``    word lists as one regex (a trie), the longest word first
- ``codes``          codebook codes found from the lexicons, with their overlap policy
- ``cues``           a lexicon's context rules, compiled once
- ``clauses``        the clause around a cue, read for who did what
- ``numerals``       Chinese and Arabic numerals as they stand in running text
- ``numbers``        quantities: numerals with units and qualifiers
- ``outcome_words``  the word lists of outcome finding (data/outcomes/)
- ``non_outcomes``   which quantities are no outcome, and why
- ``outcomes``       the outcomes, with metric, status, place and measure
- ``nearby``         the mentions near an offset, for outcomes
- ``projects``       named projects, and the outcomes that belong to them
"""
