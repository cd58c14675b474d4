"""The origin-proof migration keeps every invoice stored before it as proven (system-made), on both databases,
also when cancellation requests reference the invoice (SQLite checks foreign keys during migrations)."""

from __future__ import annotations

from sqlalchemy import text

from app.db import make_engine
from app.migrate import downgrade, upgrade

BEFORE = "c4d2a9e7f310"


def test_existing_invoices_count_as_system_made(empty_database_url):
    upgrade(empty_database_url, BEFORE)
    engine = make_engine(empty_database_url)
    try:
        with engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO taxpayer (id, identifier, kind, unvan, created_at) "
                "VALUES (1, '4821307561', 'tuzel', 'Anadolu', CURRENT_TIMESTAMP)"))
            connection.execute(text(
                "INSERT INTO invoice (id, ettn, number, profile_id, type_code, issue_date, sender_identifier, "
                "sender_name, receiver_identifier, receiver_name, payable_amount, currency, delivered_on, imported_at) "
                "VALUES (1, '7d1f4a40-2c55-4e8f-9d0b-1a2b3c4d5e6f', 'ANA2026000000001', 'TEMELFATURA', 'SATIS', "
                "'2026-11-30', '4821307561', 'Anadolu', '6132704183', 'Ege', 100.00, 'TRY', '2026-11-30', "
                "CURRENT_TIMESTAMP)"))
            connection.execute(text(
                "INSERT INTO cancellation_request (id, submission_id, invoice_id, requester_taxpayer_id, "
                "requester_role, responder_identifier, amount, status, requested_at, request_xml, "
                "request_certificate_serial) VALUES (1, 'sub-1', 1, 1, 'SATICI', '6132704183', 100.00, 'pending', "
                "CURRENT_TIMESTAMP, :xml, '01')"), {"xml": b"<x/>"})
        engine.dispose()
        upgrade(empty_database_url)
        with engine.connect() as connection:
            row = connection.execute(text(
                "SELECT origin, origin_certificate_serial, uploaded_by_taxpayer_id, sender_name_from_file, "
                "receiver_name_from_file FROM invoice WHERE id = 1")).one()
            requests = connection.execute(text("SELECT count(*) FROM cancellation_request")).scalar()
        assert (row[0], row[1], row[2], bool(row[3]), bool(row[4])) == ("system", None, None, False, False)
        assert requests == 1
        engine.dispose()
        downgrade(empty_database_url, BEFORE)
        with engine.connect() as connection:
            assert connection.execute(text("SELECT number FROM invoice")).scalar() == "ANA2026000000001"
    finally:
        engine.dispose()
