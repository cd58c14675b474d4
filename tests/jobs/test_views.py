"""İşlemler screens: the list, one job's page, and the status fragment that polls itself while a job runs."""

from __future__ import annotations

import re

from app.db import utcnow
from app.models import Job, JobStatus

POLLING = 'hx-trigger="every 1s"'


def make_job(db_session, taxpayer, **values) -> Job:
    job = Job(taxpayer_id=taxpayer.id, kind="deneme.yavas", title="Defter Hazırlığı", params={}, **values)
    db_session.add(job)
    db_session.commit()
    return job


def fragment(client, job: Job) -> str:
    response = client.get(f"/islemler/{job.id}/durum", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "HX-Request" in response.headers["Vary"]
    return response.get_data(as_text=True)


def test_the_status_fragment_polls_while_the_job_runs_and_stops_when_it_is_done(
    app, client, db_session, login_as, taxpayer_factory
):
    taxpayer = taxpayer_factory()
    login_as(taxpayer)
    job = make_job(db_session, taxpayer, status=JobStatus.BEKLIYOR, progress=0, phrase="Sırada bekliyor.")
    waiting = fragment(client, job)
    assert POLLING in waiting and f'hx-get="/islemler/{job.id}/durum"' in waiting
    assert "Bekliyor" in waiting and "<html" not in waiting

    job.status, job.progress, job.phrase, job.started_at = JobStatus.CALISIYOR, 40, "Adım 2/5 tamamlandı.", utcnow()
    db_session.commit()
    running = fragment(client, job)
    assert POLLING in running
    assert '<progress value="40" max="100"' in running and "%40" in running
    assert "Adım 2/5 tamamlandı." in running and "Çalışıyor" in running

    job.status, job.progress, job.result, job.finished_at = JobStatus.TAMAMLANDI, 100, {"adim": 5}, utcnow()
    db_session.commit()
    done = fragment(client, job)
    assert POLLING not in done and "hx-get" not in done
    assert "Tamamlandı" in done and '<progress value="100"' in done
    assert re.search(r"<dt>adim</dt><dd>5</dd>", done)


def test_a_failed_job_shows_its_turkish_error_and_stops_polling(app, client, db_session, login_as, taxpayer_factory):
    taxpayer = taxpayer_factory()
    login_as(taxpayer)
    job = make_job(db_session, taxpayer, status=JobStatus.HATA, progress=50, finished_at=utcnow(),
                   error="Deneme reddi: bu dönem için defter zaten oluşturulmuş.")
    page = fragment(client, job)
    assert POLLING not in page
    assert 'role="alert">Deneme reddi: bu dönem için defter zaten oluşturulmuş.' in page


def test_a_job_waiting_long_says_the_worker_may_be_down(app, client, db_session, login_as, taxpayer_factory):
    from datetime import timedelta

    taxpayer = taxpayer_factory()
    login_as(taxpayer)
    job = make_job(db_session, taxpayer, status=JobStatus.BEKLIYOR, created_at=utcnow() - timedelta(minutes=5))
    assert "Arka plan işçisi çalışmıyor olabilir" in fragment(client, job)


def test_another_taxpayers_job_is_not_found(app, client, db_session, login_as, taxpayer_factory):
    owner, other = taxpayer_factory(unvan="SAHİBİ A.Ş."), taxpayer_factory(unvan="BAŞKASI A.Ş.")
    job = make_job(db_session, owner, status=JobStatus.TAMAMLANDI, result={"gizli": "sonuc"})
    login_as(other)
    for url in (f"/islemler/{job.id}", f"/islemler/{job.id}/durum"):
        assert client.get(url).status_code == 404
        assert client.get(url, headers={"HX-Request": "true"}).status_code == 404
    listing = client.get("/islemler/").get_data(as_text=True)
    assert "Defter Hazırlığı" not in listing and "Henüz bir işlem yok." in listing


def test_the_list_shows_the_taxpayers_jobs_and_refreshes_only_while_one_runs(
    app, client, db_session, login_as, taxpayer_factory
):
    taxpayer = taxpayer_factory()
    login_as(taxpayer)
    started = utcnow()
    job = make_job(db_session, taxpayer, status=JobStatus.CALISIYOR, progress=60, started_at=started)
    page = client.get("/islemler/").get_data(as_text=True)
    for heading in ("Başlık", "Durum", "İlerleme", "Başlama Zamanı", "Bitiş Zamanı"):
        assert f'<th scope="col">{heading}</th>' in page
    assert f'href="/islemler/{job.id}">Defter Hazırlığı</a>' in page and '<progress value="60"' in page
    assert 'hx-trigger="every 2s"' in page
    assert 'aria-current="page">İşlemler</a>' in page  # the menu entry

    job.status, job.finished_at = JobStatus.TAMAMLANDI, utcnow()
    db_session.commit()
    fragment_only = client.get("/islemler/", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "every 2s" not in fragment_only and "<html" not in fragment_only and "Tamamlandı" in fragment_only


def test_one_jobs_page_embeds_the_widget(app, client, db_session, login_as, taxpayer_factory):
    taxpayer = taxpayer_factory()
    login_as(taxpayer)
    job = make_job(db_session, taxpayer, status=JobStatus.CALISIYOR, progress=10, phrase="Başladı.")
    page = client.get(f"/islemler/{job.id}").get_data(as_text=True)
    assert "<html" in page and "İşlem: Defter Hazırlığı" in page
    assert POLLING in page and f'id="is-{job.id}-durum"' in page


def test_jobs_need_a_login(app, client):
    response = client.get("/islemler/")
    assert response.status_code == 302 and "/giris" in response.headers["Location"]
