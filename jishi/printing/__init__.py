"""The print edition: PDFs through WeasyPrint, fonts, the printers' preflight."""
