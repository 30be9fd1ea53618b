"""Imported by the worker pool's fork server (govcase.work.performed), nowhere else.

It loads the lexicon, the gazetteer and the dictionaries of clean and tag once, then
freezes them out of the garbage collector, so the workers forked from the server share
those pages copy-on-write instead of each loading (and holding) a copy of its own.
"""
import gc

from govcase.settings import default_data_dir
from govcase.work import warm

warm(default_data_dir())
gc.freeze()
