"""İmza Doğrulama (SPEC E7): a report of one signed XML document, like the EU DSS validation report — shown as a
page, downloadable as PDF and XML. ``build_report(xml_bytes)`` / ``report_for_stored(sha256)`` are what every
feature calls (cancellations, activation requests, stored documents, e-Defter files)."""

from app.verification_report.report import Report, build_report, report_for_stored

__all__ = ["Report", "build_report", "report_for_stored"]
