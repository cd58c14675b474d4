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
    "itiraz_talebi_olusturuldu": "İtiraz talebi oluşturuldu",
    "itiraz_talebi_silindi": "İtiraz talebi silindi",
    "itiraz_talebi_onaylandi": "Faturaya itiraz kabul edildi",
    "itiraz_talebi_reddedildi": "İtiraz talebi reddedildi",
    "fatura_yuklendi": "Fatura yüklendi",
    "edefter_firma_ayarlari_kaydedildi": "e-Defter firma ayarları kaydedildi",
    "edefter_sozlesme_eklendi": "e-Defter sözleşmesi eklendi",
    "edefter_sozlesme_degistirildi": "e-Defter sözleşmesi değiştirildi",
    "edefter_sozlesme_silindi": "e-Defter sözleşmesi silindi",
    "edefter_sube_eklendi": "Şube eklendi",
    "edefter_sube_silindi": "Şube silindi",
    "edefter_yevmiye_dogrulandi": "Yevmiye numarası doğrulandı",
    "edefter_olusturma_baslatildi": "e-Defter oluşturma başlatıldı",
    "edefter_olusturuldu": "e-Defter dosyaları oluşturuldu (imza bekleniyor)",
    "edefter_olusturulamadi": "e-Defter oluşturulamadı",
    "edefter_imzalandi": "e-Defter, beratlar ve defter raporu imzalandı",
    "edefter_imzali_dosyalar_saklandi": "İmzalı e-Defter dosyaları saklandı ve doğrulandı",
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
    "kontor_yuklendi": "Kontör paketi yüklendi",
    "kontor_suresi_doldu": "Kontör paketinin süresi doldu (kalanı düşüldü)",
    "belge_saklama_yuklendi": "Belge Saklama: dosya yüklendi",
    "belgeler_saklandi": "Belgeler saklandı (kontör düşüldü)",
    "belge_saklama_tamamlandi": "Belge Saklama yüklemesi tamamlandı",
    "belge_saklama_hata": "Belge Saklama yüklemesi tamamlanamadı",
    "yevmiye_kayitlari_alindi": "Yevmiye kayıtları alındı",
    "yevmiye_kayitlari_silindi": "Yevmiye kayıtları silindi",
    "api_anahtari_olusturuldu": "API anahtarı oluşturuldu",
    "api_anahtari_iptal_edildi": "API anahtarı iptal edildi",
    "egitim_sinifi_hazirlandi": "Eğitim sınıfı hazırlandı",
    "egitim_sinifi_sifirlandi": "Eğitim sınıfı sıfırlandı (hazırlık hâline döndü)",
    "egitim_saati_degistirildi": "Eğitim saati değiştirildi",
    "resmi_tatil_eklendi": "Resmî tatil takvime eklendi",
    "berat_suresi_uzatildi": "Berat yükleme süresi uzatıldı (GİB duyurusu)",
    "edefter_gonderim_baslatildi": "e-Defter GİB'e gönderimi başlatıldı",
    "edefter_gib_onayladi": "GİB beratı onayladı (onaylı berat saklandı)",
    "edefter_gib_reddetti": "GİB dosyayı reddetti",
    "edefter_gonderim_ulasilamadi": "e-Defter gönderimi: GİB'e ulaşılamadı",
    "edefter_donem_gib_onayli": "e-Defter dönemi GİB onaylı",
    "edefter_arsivi_yuklendi": "e-Defter Arşivi: dosya yüklendi",
    "edefter_arsive_alindi": "e-Defter Arşivi: dosya saklandı (kontör düşüldü)",
    "edefter_arsivi_tamamlandi": "e-Defter Arşivi yüklemesi tamamlandı",
    "edefter_arsivi_hata": "e-Defter Arşivi yüklemesi tamamlanamadı",
    "edefter_arsivi_surduruldu": "e-Defter Arşivi yüklemesinin denetimi sürdürüldü",
    "edefter_donemi_arsivlendi": "GİB onaylı dönem e-Defter Arşivi'ne alındı",
    "edefter_donemi_arsivlenemedi": "GİB onaylı dönem arşive alınamadı",
    "berat_suresi_uyarisi": "Berat yükleme süresi uyarısı",
    "berat_suresi_uyarisi_kapandi": "Berat süresi uyarısı kapandı",
    "berat_suresi_uyarisi_yeniden": "Berat süresi uyarısı yeniden açıldı",
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
    "egitim_sinifi": "Eğitim sınıfı",
    "berat_donemi": "Berat dönemi",
    "egitim_saati": "Eğitim saati",
    "sertifika": "Sertifika",
    "mukellef": "Mükellef",
    "yetkilendirme": "Yetkilendirme",
    "iptal_talebi": "İptal talebi",
    "itiraz_talebi": "İtiraz talebi",
    "fatura_yukleme": "Fatura yüklemesi",
    "edefter_ayarlari": "Firma ayarları",
    "edefter_sozlesme": "Sözleşme",
    "edefter_sube": "Şube",
    "yevmiye_dogrulama": "Yevmiye doğrulaması",
    "defter_donemi": "e-Defter dönemi",
    "defter_gonderimi": "e-Defter gönderimi (berat/DR)",
    "edefter_arsivi": "e-Defter Arşivi dosyası",
    "edefter_arsivi_yuklemesi": "e-Defter Arşivi yüklemesi",
    "is": "İş",
    "kontor_paketi": "Kontör paketi",
    "belge_saklama_yuklemesi": "Belge Saklama yüklemesi",
    "yevmiye_gonderimi": "Yevmiye gönderimi",
    "yevmiye_donemi": "Yevmiye dönemi",
    "api_anahtari": "API anahtarı",
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
