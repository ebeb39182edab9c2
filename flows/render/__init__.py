"""Rendering of the ``analyse`` schema: the task force's dashboard, each pilot company's
report (HTML, and PDF through headless Chromium) and the analysts' extracts."""
