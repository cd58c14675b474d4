"""The office's home: for a person acting for several taxpayers, what waits for each of them (SPEC E8)."""
