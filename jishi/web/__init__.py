"""The web pages: rendering, the page cache, charts, share tags, display type."""
