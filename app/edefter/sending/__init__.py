"""Sending a signed period's berats (YB, KB) and DR to GİB, keeping GİB's sealed berats (SPEC D6, issue 14).

``operations`` is the entry point for the web, the API, the CLI and the periodic retry task.
"""
