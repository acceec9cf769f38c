"""jishi: bilingual documentary features as a static microsite and a print PDF."""

__version__ = "0.1.0"
