"""jishi's Markdown: one scan of a section, the extension, cleaning and limits."""
