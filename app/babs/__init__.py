"""Sanal Ba/Bs (GİB guide §1, §4, §5): how iptal and itiraz outcomes move an invoice on the buyer's Ba and the
seller's Bs, and the monthly per-counterparty summary GİB follows instead of the taxpayers' own forms."""
