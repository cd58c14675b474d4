"""Invoices (SPEC B7): the taxpayer's sent and received invoices, their list and UBL-TR import."""
