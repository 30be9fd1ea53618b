"""`python -m govcase` runs the command line."""
from govcase.cli import main

main()
