"""e-Defter creation (SPEC D5, D6, D7, D10): a journal period becomes signed yevmiye, kebir, berats and a DR.

``operations.py`` is the entry point for the web, the API, the CLI and jobs.
"""
