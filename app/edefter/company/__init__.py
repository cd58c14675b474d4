"""Firma İşlemleri (SPEC D1–D4): company settings, contracts, branches and yevmiye number verification."""
