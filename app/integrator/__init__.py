"""Hizmet Aktivasyonu (SPEC C1–C8, seed 002): a taxpayer's products and labels at the integrator, their signed
opening and closing at GİB, the GİB e-Fatura application signed in the same sitting, approval fed by a job that
asks GİB, and the registered-user list kept at most hourly.

- ``catalogue``: products, their labels, GİB's service codes, where a taxpayer may come from and the seed's warnings;
- ``rules``: what may be added, opened and closed, with the Turkish refusals;
- ``operations``: Etiket Ekle, the signed opening/closing (pending → GİB → answer), Tekrar Gönder;
- ``approvals``: the job that asks GİB whether a pending activation was approved;
- ``userlist``: GİB's registered-user list (download job, search);
- ``queries``: what the screens read.
Decision note 0080 explains the choices.
"""
