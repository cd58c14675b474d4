"""e-Fatura İptal/İtiraz Portalı (SPEC B): cancellation requests, their signed decisions, the lists."""
