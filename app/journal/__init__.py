"""e-Defter journal intake (SPEC D5, issue 12): entries from an accounting program's API calls, a CSV/XLSX upload
or the CLI, checked against GİB's rules and taken whole or refused whole; the queries of the journal screen; the
taxpayers' API keys. Web (``yevmiye``, ``api`` blueprints), jobs and the CLI all call these modules."""
