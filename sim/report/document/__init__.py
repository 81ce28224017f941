"""The report of a results folder: its blocks, sections and composition, the chart registry,
and the HTML, PDF and Excel renderers."""
