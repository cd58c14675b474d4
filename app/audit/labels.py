"""How each recorded act is named on the İşlem Geçmişi page."""

from __future__ import annotations

ACTION_LABELS: dict[str, str] = {
    "giris": "Akıllı kartla giriş",
    "firma_secildi": "Firma seçildi (mükellef adına çalışmaya başlandı)",
    "yetki_verildi": "Yetki verildi",
    "yetki_kabul_edildi": "Yetki kabul edildi",
    "yetki_iptal_edildi": "Yetki iptal edildi",
    "iptal_talebi_olusturuldu": "İptal talebi oluşturuldu",
    "iptal_talebi_silindi": "İptal talebi silindi",
    "iptal_talebi_onaylandi": "İptal talebi onaylandı (fatura iptal edildi)",
    "iptal_talebi_reddedildi": "İptal talebi reddedildi",
    "fatura_yuklendi": "Fatura yüklendi",
    "edefter_firma_ayarlari_kaydedildi": "e-Defter firma ayarları kaydedildi",
    "edefter_sozlesme_eklendi": "e-Defter sözleşmesi eklendi",
    "edefter_sozlesme_degistirildi": "e-Defter sözleşmesi değiştirildi",
    "edefter_sozlesme_silindi": "e-Defter sözleşmesi silindi",
    "edefter_sube_eklendi": "Şube eklendi",
    "edefter_sube_silindi": "Şube silindi",
    "edefter_yevmiye_dogrulandi": "Yevmiye numarası doğrulandı",
    "demo_verileri_yuklendi": "Demo verileri yüklendi",
    "is_siraya_alindi": "İş sıraya alındı",
    "is_tamamlandi": "İş tamamlandı",
    "is_basarisiz": "İş tamamlanamadı",
    "hizmet_etiketi_eklendi": "Hizmet etiketi eklendi",
    "efatura_basvurusu_imzalandi": "GİB e-Fatura başvurusu imzalandı",
    "efatura_basvurusu_gonderildi": "GİB e-Fatura başvurusu gönderildi",
    "hizmet_aktivasyon_talebi_imzalandi": "Hizmet aktivasyon talebi imzalandı",
    "hizmet_aktivasyon_talebi_gonderildi": "Hizmet aktivasyon talebi GİB'e gönderildi",
    "hizmet_aktiflestirildi": "Hizmet aktifleştirildi (GİB onayı)",
    "hizmet_kapatma_talebi_imzalandi": "Etiket kapatma talebi imzalandı",
    "hizmet_etiketi_kapatildi": "Hizmet etiketi kapatıldı",
    "kullanici_listesi_indirildi": "GİB kayıtlı kullanıcı listesi indirildi",
    "resmi_tatil_eklendi": "Resmî tatil takvime eklendi",
    "berat_suresi_uzatildi": "Berat yükleme süresi uzatıldı (GİB duyurusu)",
}

RESULT_LABELS: dict[str, str] = {
    "ok": "Başarılı",
    "hata": "Hata",
    # Yevmiye numarası doğrulama: the uploaded file's signature check
    "valid": "Başarılı (imza geçerli)",
    "unsigned": "Başarılı (imzasız dosya)",
    "too_large": "Başarılı (imza boyut nedeniyle kontrol edilmedi)",
}


OBJECT_LABELS: dict[str, str] = {
    "sertifika": "Sertifika",
    "mukellef": "Mükellef",
    "yetkilendirme": "Yetkilendirme",
    "iptal_talebi": "İptal talebi",
    "fatura_yukleme": "Fatura yüklemesi",
    "edefter_ayarlari": "Firma ayarları",
    "edefter_sozlesme": "Sözleşme",
    "edefter_sube": "Şube",
    "yevmiye_dogrulama": "Yevmiye doğrulaması",
    "is": "İş",
    "hizmet_urunu": "Hizmet ürünü",
    "hizmet_talebi": "Hizmet talebi",
    "efatura_basvurusu": "e-Fatura başvurusu",
    "kullanici_listesi": "Kullanıcı listesi",
    "takvim": "Takvim",
}


def object_label(object_type: str | None, object_id: str | None) -> str:
    """The record an act touched, e.g. "İptal talebi 12"."""
    if not object_type:
        return object_id or ""
    name = OBJECT_LABELS.get(object_type, object_type.replace("_", " ").capitalize())
    return f"{name} {object_id}" if object_id else name


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action.replace("_", " ").capitalize())


def result_label(result: str) -> str:
    return RESULT_LABELS.get(result, result)
