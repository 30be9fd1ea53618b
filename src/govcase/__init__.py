"""govcase: Chinese grassroots-governance case reports into a relational database."""
__version__ = "0.1.0"
