"""GİB's words on the İptal/İtiraz Portalı's screens, per request kind (guide §4 for iptal, §5 for itiraz)."""

from __future__ import annotations

from dataclasses import dataclass

from app.models import RequestKind


@dataclass(frozen=True)
class KindWords:
    kind: RequestKind
    create_button: str  # the entry page's first button of the kind
    lists_button: str  # the entry page's second button of the kind
    form_title: str
    form_intro: str
    success: str  # the result page's heading
    created: str  # the end of GİB's sentence under it
    requested_heading: str
    incoming_heading: str
    approved_heading: str
    rejected_heading: str
    approve_button: str
    approve_confirm_heading: str
    reject_confirm_heading: str
    approved_done: str
    list_notice: str
    incoming_intro: str


WORDS = {
    RequestKind.IPTAL: KindWords(
        RequestKind.IPTAL,
        "Fatura iptal talebi oluşturmak için tıklayınız",
        "Fatura iptal taleplerinin durumlarını görmek ve adınıza gelen iptal taleplerine onay vermek için tıklayınız",
        "Fatura İptal Talebi",
        "Lütfen iptal etmek istediğiniz fatura bilgilerinizi giriniz.",
        "İptal talebiniz başarıyla oluşturulmuştur",
        "iptal talebi oluşturuldu.",
        "İptal Edilmesini Talep Ettiğiniz Faturalar",
        "Gelen Fatura İptal Talepleri",
        "İptal Ettiğiniz Faturalar",
        "Reddettiğiniz İptal Talepleri",
        "Fatura İptal Et",
        "İptalini onaylayacağınız faturalar",
        "Reddedeceğiniz iptal talepleri",
        "iptal edildi",
        "İptal talebinde bulunduğunuz ve iptal onayı verdiğiniz faturaların durumunu bu tablolardan kontrol "
        "edebilirsiniz.",
        "Firmanıza gelen faturaların iptal taleplerini bu tablodan listeleyip, onay verebilirsiniz.",
    ),
    RequestKind.ITIRAZ: KindWords(
        RequestKind.ITIRAZ,
        "Fatura itiraz talebi oluşturmak için tıklayınız",
        "Fatura itiraz taleplerinin durumlarını görmek ve adınıza gelen itiraz taleplerine onay vermek için tıklayınız",
        "Fatura İtiraz Talebi",
        "Lütfen itiraz etmek istediğiniz fatura bilgilerinizi giriniz.",
        "İtiraz talebiniz başarıyla oluşturulmuştur",
        "itiraz talebi oluşturuldu.",
        "İtiraz Ettiğiniz Faturalar",
        "Gelen Fatura İtiraz Talepleri",
        "İtirazını Kabul Ettiğiniz Faturalar",
        "Reddettiğiniz İtiraz Talepleri",
        "Faturaya İtirazı Kabul Et",
        "İtirazını kabul edeceğiniz faturalar",
        "Reddedeceğiniz itiraz talepleri",
        "için itiraz kabul edildi",
        "İtiraz talebinde bulunduğunuz ve itirazını kabul ettiğiniz faturaların durumunu bu tablolardan kontrol "
        "edebilirsiniz.",
        "Firmanıza gelen faturaların itiraz taleplerini bu tablodan listeleyip, onay verebilirsiniz.",
    ),
}


def words_for(kind: RequestKind) -> KindWords:
    return WORDS[kind]
