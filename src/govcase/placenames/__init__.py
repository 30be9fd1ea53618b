"""The rules behind govcase.places: lexicon loading, name finding, hierarchy."""
