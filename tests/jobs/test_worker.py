"""Real worker processes (``python -m app.jobs.worker``) on a real migrated database: SQLite with the SQLite
queue, PostgreSQL with the Redis queue. A job end to end, the Yönetim check through a worker, a job delivered
twice, and a worker killed with SIGKILL in the middle of a job."""

from __future__ import annotations

from app.gib.client import SeedAlias
from app.jobs import current_engine
from app.jobs.recovery import ABANDONED
from app.models import JobStatus
from tests.jobs.workers import log_in, wait_for


def test_a_worker_runs_a_job_end_to_end_with_progress(portal):
    site = portal()
    taxpayer = site.taxpayer()
    worker = site.start_worker()
    job_id = site.submit("deneme.yavas", taxpayer, {"adim": 4, "bekleme": 0.3})
    seen: set[int] = set()

    def done() -> bool:
        job = site.job(job_id)
        if job.status is JobStatus.CALISIYOR:
            seen.add(job.progress)
        return job.status is JobStatus.TAMAMLANDI

    wait_for(done, 30, "iş tamamlanmadı", worker.log)
    job = site.job(job_id)
    assert job.result == {"adim": 4, "deneme": 1} and job.progress == 100 and job.attempts == 1
    assert f":{worker.pid}:" in job.worker_id
    assert any(0 < percent < 100 for percent in seen), seen  # the progress was visible while it ran


def test_the_yonetim_check_runs_in_a_worker_and_the_widget_shows_the_answer(portal, gib_simulator):
    site = portal(GIB_URL=gib_simulator.base_url)
    taxpayer = site.taxpayer(unvan="İŞÇİ KONTROL A.Ş.")
    gib_simulator.client.register_taxpayer(
        taxpayer.identifier, taxpayer.unvan, aliases=[SeedAlias("Invoice", "PK", "urn:mail:defaultpk@isci.com.tr")],
        idempotency_key=f"kayit-{taxpayer.identifier}",
    )
    worker = site.start_worker()
    client = site.app.test_client()
    log_in(site.app, client, taxpayer)

    widget = client.post("/yonetim/kontrol", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert 'hx-trigger="every 1s"' in widget and "GİB Bağlantı Kontrolü" in widget  # the request did not wait
    status_url = widget.split('hx-get="', 1)[1].split('"', 1)[0]

    def answered() -> str | None:
        text = client.get(status_url, headers={"HX-Request": "true"}).get_data(as_text=True)
        return None if "every 1s" in text else text

    final = wait_for(answered, 30, "kontrol bitmedi", worker.log)
    assert "Bilgisayarınızın saati GİB saati ile uyumlu." in final
    assert "urn:mail:defaultpk@isci.com.tr" in final and "İŞÇİ KONTROL A.Ş." in final
    page = client.get("/yonetim/").get_data(as_text=True)
    assert "Son kontrol:" in page and "urn:mail:defaultpk@isci.com.tr" in page


def test_a_job_delivered_three_times_to_two_workers_is_done_once(portal):
    site = portal()
    taxpayer = site.taxpayer()
    worker = site.start_worker("--workers", "2")
    job_id = site.submit("deneme.sayac", taxpayer, {"bekleme": 1.0})
    with site.app.app_context():
        current_engine().enqueue(job_id)
        current_engine().enqueue(job_id)
    wait_for(lambda: site.job(job_id).status is JobStatus.TAMAMLANDI, 30, "iş tamamlanmadı", worker.log)
    finished = site.job(job_id)
    with site.app.app_context():
        current_engine().enqueue(job_id)  # once more after it finished
    marker = site.tmp / "instance" / f"deneme-sayac-{job_id}.txt"
    wait_for(lambda: "atlandı" in worker.log.read_text(errors="replace").split(f"İş {job_id} tamamlandı", 1)[-1],
             15, "son teslimat işlenmedi", worker.log)
    assert marker.read_text().splitlines() == [str(worker.pid)]  # the work was done once
    again = site.job(job_id)
    assert (again.attempts, again.finished_at) == (1, finished.finished_at)


def _killed_mid_job(site):
    taxpayer = site.taxpayer()
    first = site.start_worker()
    job_id = site.submit("deneme.yavas", taxpayer, {"adim": 20, "bekleme": 0.25})
    wait_for(lambda: site.job(job_id).progress >= 10, 30, "iş ilerlemedi", first.log)
    first.kill()
    left = site.job(job_id)
    # Killed: the job is not shown as done, and nothing of a result was written.
    assert left.status is JobStatus.CALISIYOR and 10 <= left.progress < 100
    assert left.result is None and left.finished_at is None
    client = site.app.test_client()
    log_in(site.app, client, taxpayer)
    widget = client.get(f"/islemler/{job_id}/durum", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "Çalışıyor" in widget and "Tamamlandı" not in widget
    return job_id, client


def test_a_job_of_a_killed_worker_is_done_again_by_the_restarted_worker(portal):
    site = portal()
    job_id, client = _killed_mid_job(site)
    second = site.start_worker()
    wait_for(lambda: site.job(job_id).status is JobStatus.TAMAMLANDI, 40, "yeniden başlayan işçi bitirmedi",
             second.log)
    job = site.job(job_id)
    assert job.attempts == 2 and job.result == {"adim": 20, "deneme": 2}
    assert f":{second.pid}:" in job.worker_id
    widget = client.get(f"/islemler/{job_id}/durum", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "Tamamlandı" in widget and "every 1s" not in widget


def test_a_job_of_a_killed_worker_fails_with_a_message_when_no_attempt_is_left(portal):
    site = portal(JOBS_MAX_ATTEMPTS=1)
    job_id, client = _killed_mid_job(site)
    second = site.start_worker()
    wait_for(lambda: site.job(job_id).status is JobStatus.HATA, 30, "iş hata ile bitmedi", second.log)
    job = site.job(job_id)
    assert (job.error, job.result, job.attempts) == (ABANDONED, None, 1)
    widget = client.get(f"/islemler/{job_id}/durum", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "beklenmedik şekilde durduğu için tamamlanamadı" in widget and "every 1s" not in widget


def test_a_long_step_keeps_the_heartbeat_going(portal):
    site = portal()
    taxpayer = site.taxpayer()
    worker = site.start_worker()
    job_id = site.submit("deneme.sayac", taxpayer, {"bekleme": 4.0})  # one long step, no progress calls
    first = wait_for(lambda: site.job(job_id).status is JobStatus.CALISIYOR and site.job(job_id).heartbeat_at,
                     20, "iş başlamadı", worker.log)
    later = wait_for(lambda: (job := site.job(job_id)).heartbeat_at > first and job.status is JobStatus.CALISIYOR,
                     3.5, "nabız yazılmadı", worker.log)
    assert later


def test_gib_away_is_tried_again_later_by_the_worker_then_reported(portal):
    site = portal()  # GIB_URL points at a closed port
    taxpayer = site.taxpayer()
    worker = site.start_worker()
    job_id = site.submit("deneme.gib_saati", taxpayer)
    phrases: set[str] = set()

    def ended() -> bool:
        job = site.job(job_id)
        phrases.add(job.phrase)
        return job.status is JobStatus.HATA

    wait_for(ended, 60, "iş hata ile bitmedi", worker.log)
    job = site.job(job_id)
    assert job.attempts == 3 and job.error.startswith("GİB servisine ulaşılamıyor")
    # While it waited, the widget said so: GİB's message and when it will try again.
    assert any(phrase.startswith("1 saniye sonra yeniden denenecek (deneme") and "GİB servisine ulaşılamıyor"
               in phrase for phrase in phrases), phrases
