"""UBL-TR 1.2.1 invoices: safe reading (single XML, GİB envelope, zip upload) and writing."""
