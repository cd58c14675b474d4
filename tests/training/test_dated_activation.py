"""The issue's "Hizmet Aktifleştirilmiştir on the chosen date" without waiting: a taxpayer opens e-Fatura labels to
be activated in three days through the portal (signed on its card, sent to GİB); the trainer moves the clock to that
day and the portal's next check (what the polling label table does) finds them active — portal and GİB agree."""

from __future__ import annotations

from datetime import timedelta

from app.formatting import local_today
from app.models.service import LabelStatus, RequestStatus
from tests.integrator.conftest import desk  # noqa: F401  (the fixture: a taxpayer at Hizmet Aktivasyonu)
from tests.training.test_clock import move


def test_a_dated_activation_shows_on_the_chosen_day(app, desk, trainer_client, training_simulator):  # noqa: F811
    anadolu = desk("anadolu")
    with app.app_context():
        day = local_today() + timedelta(days=3)
    request = anadolu.activate("efatura", "efatura_gb", "efatura_pk", when=day)
    assert request.status is RequestStatus.ONAY_BEKLIYOR and request.activation_date == day

    move(trainer_client, "+1")
    anadolu.check()
    assert anadolu.request(request.id).status is RequestStatus.ONAY_BEKLIYOR
    assert anadolu.label("efatura_gb").status is not LabelStatus.AKTIF

    move(trainer_client, "tarih", tarih=day.strftime("%d.%m.%Y"))
    anadolu.check()
    assert anadolu.request(request.id).status is RequestStatus.TAMAMLANDI
    assert anadolu.label("efatura_gb").status is LabelStatus.AKTIF
    assert training_simulator.client.registered_user(anadolu.taxpayer.identifier) is not None
