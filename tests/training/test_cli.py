"""``flask egitim``: the trainer's commands do what the page does (demo/training mode)."""

from __future__ import annotations

from datetime import timedelta

from app import clock
from app.models import Trainee


def test_prepare_move_and_reset_from_the_command_line(app, db_session, tmp_path, training_simulator):
    runner = app.test_cli_runner()
    handout = tmp_path / "el-notlari.pdf"
    result = runner.invoke(args=["egitim", "hazirla", "--kisi", "2", "--ad", "Komut Sınıfı",
                                 "--el-notlari", str(handout)])
    assert result.exit_code == 0, result.output
    trainees = db_session.query(Trainee).order_by(Trainee.position).all()
    assert len(trainees) == 2
    for trainee in trainees:
        assert trainee.token_label in result.output and trainee.card_pin in result.output
    assert handout.read_bytes().startswith(b"%PDF-")

    moved = runner.invoke(args=["egitim", "saat", "+8"])
    assert moved.exit_code == 0 and "(+8 gün)" in moved.output, moved.output
    with app.app_context():
        assert clock.offset() == timedelta(days=8)
    refused = runner.invoke(args=["egitim", "saat", "tarih", "yarın"])
    assert refused.exit_code != 0 and "GG.AA.YYYY" in refused.output

    reset = runner.invoke(args=["egitim", "sifirla", str(trainees[0].class_id), "--evet"])
    assert reset.exit_code == 0 and "Eğitim saati gerçek saate döndü." in reset.output, reset.output
    with app.app_context():
        assert clock.offset() == timedelta(0)


def test_a_class_too_small_is_refused_in_turkish(app):
    result = app.test_cli_runner().invoke(args=["egitim", "hazirla", "--kisi", "1"])
    assert result.exit_code != 0 and "Kursiyer sayısı 2 ile 60 arasında olmalıdır." in result.output
