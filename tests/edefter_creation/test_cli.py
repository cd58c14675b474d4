"""``flask edefter create`` (PIN from standard input) and ``flask edefter export`` on both databases."""

from __future__ import annotations

import zipfile

from app.models import JournalPeriodState


def test_create_signs_with_the_pin_from_stdin_and_export_writes_the_zip(
        app, company, gib, journal, small_parts, db_session, tmp_path):  # type: ignore[no-untyped-def]
    month = journal(company.taxpayer.id, 2024, 1, 12)
    runner = app.test_cli_runner()
    vkn = company.taxpayer.identifier
    wrong = runner.invoke(args=["edefter", "create", vkn, "2024-01", "--kart", company.token.label], input="999999\n")
    assert wrong.exit_code != 0 and "şifre" in wrong.output.lower()
    assert company.token.pin not in wrong.output
    result = runner.invoke(args=["edefter", "create", vkn, "2024-01", "--kart", company.token.label],
                           input=f"{company.token.pin}\n")
    assert result.exit_code == 0, result.output
    assert f"{vkn}-202401-Y-000001.xml" in result.output and f"{vkn}-202401-DR-000000.xml" in result.output
    assert "İmza geçerli" in result.output and company.token.pin not in result.output
    db_session.expire_all()
    assert month.period.state is JournalPeriodState.SIGNED

    target = tmp_path / "donem.zip"
    exported = runner.invoke(args=["edefter", "export", vkn, "2024-01", str(target)])
    assert exported.exit_code == 0, exported.output
    with zipfile.ZipFile(target) as archive:
        names = archive.namelist()
        assert "SHA256SUMS.txt" in names and f"{vkn}-202401-KB-000001.xml" in names


def test_create_names_an_unknown_period(app, company):  # type: ignore[no-untyped-def]
    result = app.test_cli_runner().invoke(args=["edefter", "create", company.taxpayer.identifier, "2024-05"],
                                          input="1\n")
    assert result.exit_code != 0 and "2024-05 dönemi bulunamadı" in result.output
