"""The parts of the tag stage besides places, one concern per module (all pure).

``govcase.tag.tag`` composes them with ``govcase.places``:

- ``lexicon``   measure and mechanism lexicons (data/lexicon/), their conditions and shadows
- ``codes``     codebook codes found from the lexicons, with their overlap policy
- ``numerals``  Chinese and Arabic numerals as they stand in running text
- ``numbers``   quantities: numerals with units and qualifiers
- ``outcomes``  which quantities are outcomes, with metric, status, place and measure
- ``projects``  named projects, and the outcomes that belong to them
"""
