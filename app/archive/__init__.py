"""Belge Saklama (SPEC C10): store a taxpayer's earlier signed documents (one file or a zip, as a job), list,
search and download them; each stored document is charged to the kontör (``app.kontor``)."""
