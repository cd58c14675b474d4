"""The products of seed 002 and their labels (SPEC C1), GİB's service behind each label (GIB-FORMATS §6), the
opening rules' data (SPEC C4) and the seed's words for where a taxpayer comes from (SPEC C7).

The integrator in the seed is QNB eFinans; here it is this portal, so its name reads "e-Belge Portalı".
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class LabelKind:
    code: str  # e.g. "efatura_pk"
    product: str  # e.g. "efatura"
    name: str  # the label's name on the screen
    suffix: str  # urn:mail:<prefix><suffix>@<domain>
    service: str | None  # GİB's service (document type or sender id); None: not a GİB service (e-Defter)
    role: str = ""  # GB / PK for e-Fatura and e-İrsaliye
    storage: bool = False  # a Saklama label

    @property
    def has_role(self) -> bool:
        return bool(self.role)


@dataclass(frozen=True)
class Origin:
    code: str
    name: str
    warnings: tuple[str, ...]
    closes_old_labels: bool = False  # GİB closes the old labels on approval (local integration, GİB Portal)


@dataclass(frozen=True)
class Product:
    code: str
    name: str
    kinds: tuple[LabelKind, ...]
    needs: tuple[str, ...] = ()  # products that must be active first
    needs_message: str = ""
    together_rule: str = ""  # the seed's NOTE when the main labels and the Saklama label cannot go together
    one_at_a_time: str = ""  # the seed's words when each label is signed on its own
    origins: tuple[Origin, ...] = field(default_factory=tuple)
    note: str = ""
    post_box_note: str = ""  # shown when the taxpayer holds several live PK labels (seed 002, 1.e.ii / 4.e.ii)

    def kind(self, code: str) -> LabelKind:
        return next(kind for kind in self.kinds if kind.code == code)

    @property
    def main_kinds(self) -> tuple[LabelKind, ...]:
        return tuple(kind for kind in self.kinds if not kind.storage)

    def origin(self, code: str | None) -> Origin | None:
        return next((origin for origin in self.origins if origin.code == code), None)

    @property
    def sent_to_gib(self) -> bool:
        return all(kind.service is not None for kind in self.kinds)


ORIGIN_NAMES = {
    "yeni": "{urun} uygulamasını yeni kullanmaya başlıyorum",
    "lokal": "Lokal entegrasyondan geçiyorum",
    "gib_portal": "GİB Portal'dan geçiyorum",
    "baska_tek": "Başka bir özel entegratörden geçiyorum ve yalnızca e-Belge Portalı'nı kullanacağım",
    "baska_cok": "Başka bir özel entegratörden geçiyorum ve birden çok özel entegratör kullanacağım",
}

_ACTIVATE = "Mali mühür veya e-İmzanız ile e-Belge Portalı'nda aktivasyon yapmanız durumunda"


def _closed_automatically(what: str, unanswered: str, remaining: str, system: str) -> str:
    return (
        f"{_ACTIVATE} {what} otomatik olarak kapatılacaktır. Bu durumda; sisteminizde daha önce gönderilmiş ve "
        f"henüz yanıtlamadığınız {unanswered} için yanıt verme imkanınız ortadan kalkmış olur. Bu yüzden, aktivasyon "
        f"yapmadan önce, {system} sisteminizde yanıtlanmamış {remaining} kalmadığından emin olmanız gerekmektedir."
    )


def _other_stays_open(documents: str, list_name: str | None = None) -> str:
    text = (
        f"{_ACTIVATE}, diğer özel entegrasyon sisteminizdeki etiketler otomatik olarak kapatılmayacaktır. Diğer özel "
        f"entegrasyon sisteminizdeki {documents} imzalı hallerini lokal sisteminize taşıdıysanız, eski etiketlerinizi "
        "kapatabilirsiniz."
    )
    if list_name:
        text += (
            f" Etiketlerinizi kapatmadığınız takdirde; siz kullanmasanız dahi, GİB {list_name} kayıtlı kullanıcılar "
            f"listesinde posta kutusu etiketiniz görünmeye devam edeceği için, gönderici taraflar bu etikete gönderim "
            "yapabilir."
        )
    return text


def _several(gb: str, pk: str, document: str) -> tuple[str, ...]:
    return (
        (f"{_ACTIVATE}, diğer özel entegrasyon sisteminizdeki etiketler otomatik olarak kapatılmayacaktır. Tercihinize "
         f"göre yalnızca e-Belge Portalı'ndan {document} göndermek istiyorsanız yalnızca {gb} etiketini oluşturmanız "
         f"gerekmektedir. Eğer hem gönderim hem alım yapmak istiyorsanız, {gb.split('(')[-1].rstrip(')')} etiketine ek "
         f"olarak {pk} etiketini de aktive etmeniz gerekmektedir."),
        (f"Tarafınıza {document} gönderen firmalara, hangi {pk.split('(')[-1].rstrip(')')} etiketinizi kullanmaları "
         "gerektiği konusunda bilgilendirme yapmalısınız, aksi takdirde A mükellefi 1.etiketinize gönderim yaparken B "
         f"mükellefi 2.etiketinize gönderim yapabilir. Bu durumda gelen {document} takibiniz zorlaşır."),
    )


def _only_others_stay() -> str:
    return f"{_ACTIVATE}, diğer özel entegrasyon sisteminizdeki etiket otomatik olarak kapatılmayacaktır."


def _gib_portal_simple(files: str) -> tuple[str, ...]:
    return (
        f"{_ACTIVATE} GİB Portal etiketiniz otomatik olarak kapatılacaktır.",
        (f"Aktivasyon yapmadan önce, GİB Portal'da yer alan {files} tarafınızca indirilip, lokal bir ortamınızda "
         "saklanması gerekmektedir."),
    )


EFATURA = Product(
    code="efatura",
    name="e-Fatura",
    kinds=(
        LabelKind("efatura_gb", "efatura", "e-Fatura Gönderim (GB)", "gb", "Invoice", role="GB"),
        LabelKind("efatura_pk", "efatura", "e-Fatura Alım (PK)", "pk", "Invoice", role="PK"),
        LabelKind("efatura_saklama", "efatura", "Saklama", "saklama", "archive", storage=True),
    ),
    together_rule="e-Fatura (GB / PK) ve Saklama etiketleri birlikte açılamamaktadır.",
    origins=(
        Origin("yeni", ORIGIN_NAMES["yeni"].format(urun="e-Fatura"), (
            ("GİB nezdinde e-Fatura başvurunuzun bulunup bulunmadığı sistem tarafından kontrol edilir. GİB e-Fatura "
             "başvurusu yok ise \"GİB e-Fatura Başvuru Bilgileri\" penceresi gelir; işaretli alanlar doldurularak mali "
             "mühürle kolayca GİB e-Fatura başvurusu yapılır (\"Yararlanma Yöntemi\" otomatik olarak Özel Entegrasyon "
             "olacaktır)."),
        )),
        Origin("lokal", ORIGIN_NAMES["lokal"], (
            _closed_automatically("lokal entegrasyon etiketleriniz", "ticari faturalarınız", "ticari faturanızın",
                                  "lokal entegrasyon"),
        ), closes_old_labels=True),
        Origin("gib_portal", ORIGIN_NAMES["gib_portal"], (
            _closed_automatically("GİB Portal etiketleriniz", "ticari faturalarınız", "ticari faturanızın", "GİB Portali"),
            ("Aktivasyon yapmadan önce, GİB Portal'da yer alan, gelen, giden e-Fatura dosyalarınızın, tarafınızca "
             "indirilip, lokal bir ortamınızda saklanması gerekmektedir."),
        ), closes_old_labels=True),
        Origin("baska_tek", ORIGIN_NAMES["baska_tek"], (
            _other_stays_open("ticari e-faturalarınıza vereceğiniz uygulama yanıtı kalmadıysa ve bu sistemdeki gelen "
                              "ve giden e-fatura ve uygulama yanıtlarınızın", "e-fatura"),
        )),
        Origin("baska_cok", ORIGIN_NAMES["baska_cok"], _several("e-Fatura Gönderim (GB)", "e-Fatura Alım (PK)",
                                                                "e-fatura")),
    ),
    post_box_note=_several("e-Fatura Gönderim (GB)", "e-Fatura Alım (PK)", "e-fatura")[1],
)

EARSIV = Product(
    code="earsiv",
    name="e-Arşiv",
    kinds=(
        LabelKind("earsiv", "earsiv", "e-Arşiv", "earsiv", "earchive"),
        LabelKind("earsiv_saklama", "earsiv", "e-Arşiv Saklama", "earsivsaklama", "archive_earchive", storage=True),
    ),
    needs=("efatura",),
    needs_message="e-Arşiv kullanıcılarının aynı zamanda e-Fatura mükellefi olması gerekmektedir. Önce e-Fatura "
                  "(GB / PK) etiketinizi açınız; e-Fatura hizmetiniz aktifleştirildikten sonra e-Arşiv etiketlerini "
                  "açabilirsiniz.",
    one_at_a_time="e-Arşiv ve e-Arşiv Saklama etiketleri ayrı ayrı imzalanır; bir seferde tek etiket seçiniz.",
    origins=(
        Origin("yeni", ORIGIN_NAMES["yeni"].format(urun="e-Arşiv"), (
            ("e-Arşiv fatura uygulama etiketinizi oluşturmanız yeterlidir. Başvuru yapmanız gerekmez. (e-Arşiv "
             "kullanıcılarının aynı zamanda e-Fatura mükellefi olması gerekmektedir.)"),
        )),
        Origin("gib_portal", ORIGIN_NAMES["gib_portal"], _gib_portal_simple("e-Arşiv fatura dosyalarınızın"),
               closes_old_labels=True),
        Origin("baska_tek", ORIGIN_NAMES["baska_tek"], (_other_stays_open("e-Arşiv faturaların"),)),
        Origin("baska_cok", ORIGIN_NAMES["baska_cok"], (_only_others_stay(),)),
    ),
)

EIRSALIYE = Product(
    code="eirsaliye",
    name="e-İrsaliye",
    kinds=(
        LabelKind("eirsaliye_gb", "eirsaliye", "e-İrsaliye Gönderim (IRGB)", "irsaliyegb", "DespatchAdvice", role="GB"),
        LabelKind("eirsaliye_pk", "eirsaliye", "e-İrsaliye Alım (IRPK)", "irsaliyepk", "DespatchAdvice", role="PK"),
        LabelKind("eirsaliye_saklama", "eirsaliye", "İrsaliye Saklama", "irsaliyesaklama", "archive_edespatch",
                  storage=True),
    ),
    needs=("efatura",),
    needs_message="e-Fatura mükellefi değilseniz; öncelikle e-Fatura mükellefi olmalı ve uygulamayı kullanma "
                  "aşamalarını takip etmeniz gerekmektedir. e-İrsaliye etiketleri, e-Fatura hizmetiniz "
                  "aktifleştirildikten sonra açılabilir.",
    together_rule="e-İrsaliye (PK / GB) ve İrsaliye Saklama etiketleri birlikte açılamamaktadır.",
    origins=(
        Origin("yeni", ORIGIN_NAMES["yeni"].format(urun="e-İrsaliye"), (
            ("e-Fatura mükellefiyseniz; e-İrsaliye uygulama etiketlerinizi oluşturmanız yeterlidir. Başvuru yapmanız "
             "gerekmez."),
        )),
        Origin("lokal", ORIGIN_NAMES["lokal"], (
            _closed_automatically("lokal entegrasyon etiketleriniz", "irsaliyeleriniz", "irsaliyenizin",
                                  "lokal entegrasyon"),
        ), closes_old_labels=True),
        Origin("gib_portal", ORIGIN_NAMES["gib_portal"], (
            _closed_automatically("GİB Portal etiketleriniz", "irsaliyeleriniz", "irsaliyenizin", "GİB Portali"),
            ("Aktivasyon yapmadan önce, GİB Portal'da yer alan, gelen, giden e-irsaliye ve gelen, giden e-irsaliye "
             "yanıtı dosyalarınızın, tarafınızca indirilip, lokal bir ortamınızda saklanması gerekmektedir."),
        ), closes_old_labels=True),
        Origin("baska_tek", ORIGIN_NAMES["baska_tek"], (
            _other_stays_open("e-irsaliyelerinize vereceğiniz yanıt kalmadıysa ve bu sistemdeki gelen ve giden "
                              "e-irsaliye ve yanıtlarınızın", "e-İrsaliye"),
        )),
        Origin("baska_cok", ORIGIN_NAMES["baska_cok"], _several("e-İrsaliye Gönderim (IRGB)", "e-İrsaliye Alım (IRPK)",
                                                                "e-İrsaliye")),
    ),
    post_box_note=_several("e-İrsaliye Gönderim (IRGB)", "e-İrsaliye Alım (IRPK)", "e-İrsaliye")[1],
    note="Etiketler kapatılırken e-İrsaliye etiketleri e-Fatura etiketlerinden önce kapatılmalıdır.",
)


ESMM = Product(
    code="esmm",
    name="e-Serbest Meslek Makbuzu",
    kinds=(
        LabelKind("esmm", "esmm", "e-Serbest Meslek (e-SMM)", "esmm", "esevoucher"),
        LabelKind("esmm_saklama", "esmm", "e-Serbest Meslek Saklama", "esmmsaklama", "esevoucher_archive",
                  storage=True),
    ),
    one_at_a_time="İki etiket aynı anda seçilerek imzalanamamaktadır. e-Serbest Meslek etiketini açtıktan sonra "
                  "diğer etiketi ayrıca açınız.",
    origins=(
        Origin("yeni", ORIGIN_NAMES["yeni"].format(urun="e-SMM"), ("e-SMM etiketinizi oluşturmanız yeterlidir.",)),
        Origin("gib_portal", ORIGIN_NAMES["gib_portal"], _gib_portal_simple("e-Serbest Meslek Makbuzlarınızın"),
               closes_old_labels=True),
        Origin("baska_tek", ORIGIN_NAMES["baska_tek"], (_other_stays_open("e-Serbest Meslek Makbuzlarınızın"),)),
        Origin("baska_cok", ORIGIN_NAMES["baska_cok"], (_only_others_stay(),)),
    ),
)

EMM = Product(
    code="emm",
    name="e-Müstahsil Makbuzu",
    kinds=(
        LabelKind("emm", "emm", "e-Müstahsil (e-MM)", "emm", "epreceipt"),
        LabelKind("emm_saklama", "emm", "e-Müstahsil Saklama", "emmsaklama", "epreceipt_archive", storage=True),
    ),
    one_at_a_time="İki etiket aynı anda seçilerek imzalanamamaktadır. e-Müstahsil etiketini açtıktan sonra diğer "
                  "etiketi ayrıca açınız.",
    origins=(
        Origin("yeni", ORIGIN_NAMES["yeni"].format(urun="e-MM"), (
            ("e-MM etiketinizi oluşturmanız yeterlidir. (e-Fatura uygulamasına dahil olan mükelleflerin çiftçilerden "
             "gerçekleştirdikleri zirai mahsul alımlarında müstahsil makbuzlarını 1 Temmuz 2020'den itibaren "
             "elektronik ortamda e-Müstahsil Makbuzu olarak düzenlemesi zorunludur.)"),
        )),
        Origin("gib_portal", ORIGIN_NAMES["gib_portal"], _gib_portal_simple("e-Müstahsil makbuzlarınızın"),
               closes_old_labels=True),
        Origin("baska_tek", ORIGIN_NAMES["baska_tek"], (_other_stays_open("e-Müstahsil makbuzlarınızın"),)),
        Origin("baska_cok", ORIGIN_NAMES["baska_cok"], (_only_others_stay(),)),
    ),
)

EADISYON = Product(
    code="eadisyon",
    name="e-Adisyon",
    kinds=(LabelKind("eadisyon", "eadisyon", "e-Adisyon Hizmeti", "eadisyon", "echeck"),),
    needs=("efatura", "earsiv"),
    needs_message="e-Adisyon uygulamasına dahil olan mükelleflerin e-Fatura ve e-Arşiv Fatura uygulamalarına dahil "
                  "olmaları gerekir. Önce e-Fatura ve e-Arşiv hizmetlerinizi aktifleştiriniz.",
    origins=(
        Origin("yeni", ORIGIN_NAMES["yeni"].format(urun="e-Adisyon"), (
            ("e-Adisyon etiketinizi oluşturmanız yeterlidir. e-Adisyon uygulamasına dahil olan mükelleflerin e-Fatura "
             "ve e-Arşiv Fatura uygulamalarına dahil olmaları gerekir."),
        )),
        Origin("baska_tek", ORIGIN_NAMES["baska_tek"], (_other_stays_open("e-Adisyon belgelerinizin"),)),
        Origin("baska_cok", ORIGIN_NAMES["baska_cok"], (_only_others_stay(),)),
    ),
)

EDEFTER = Product(
    code="edefter",
    name="e-Defter",
    kinds=(LabelKind("edefter", "edefter", "e-Defter", "edefter", None),),
    needs=("efatura",),
    needs_message="İlk defa e-Defter kullanacak mükelleflerin e-Fatura uygulamasına da geçiş yapması zorunludur. "
                  "Önce e-Fatura hizmetinizi aktifleştiriniz.",
    note="e-Defter için GİB'e etiket talebi gönderilmez: imzalı aktivasyon talebiniz e-Belge Portalı'nda saklanır ve "
         "seçtiğiniz tarihte hizmetiniz aktifleşir. GİB e-Defter uygulama başvurunuzu GİB e-Defter Portalı'ndan "
         "yapmanız; Uyumlu Yazılım olarak bu portalı seçmeniz gerekir.",
)


PRODUCTS: tuple[Product, ...] = (EFATURA, EARSIV, EIRSALIYE, ESMM, EMM, EADISYON, EDEFTER)
BY_CODE = {product.code: product for product in PRODUCTS}
KINDS = {kind.code: kind for product in PRODUCTS for kind in product.kinds}


def product(code: str) -> Product | None:
    return BY_CODE.get(code)
