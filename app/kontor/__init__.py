"""Kontör (SPEC C9): quota packages, the balance per unit, movements, atomic spending and the daily write-off."""
