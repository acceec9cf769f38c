"""Languages derived from another: Traditional Chinese converted with OpenCC."""
