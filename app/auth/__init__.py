"""Smart-card login (SPEC A1): a signed challenge names the taxpayer."""
