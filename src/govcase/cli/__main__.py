"""python -m govcase.cli: the command line, as the installed `govcase` runs it."""
from govcase.cli import main

main()
