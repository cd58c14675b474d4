"""e-Defter (SPEC D). ``company/`` holds Firma İşlemleri (settings, contracts, branches, yevmiye number
verification); the ledgers themselves (yevmiye/kebir creation, berats, sending) get a package of their own."""
