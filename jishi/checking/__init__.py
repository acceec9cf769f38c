"""`check`: every finding with its file and line, the glossary, translations."""
