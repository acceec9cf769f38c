"""Photos: find them in the text, encode every size and format, cache the results."""
