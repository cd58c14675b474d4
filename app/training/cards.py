"""Trainee cards: one SoftHSM2 token per trainee in the demo PKI, certificates from the demo CA (note 0133).

The cards live beside the demo cards (the folder of ``SOFTHSM2_CONF``), so the portal's card forms list them and
the portal trusts them through the demo root it already trusts. A reset gives every card back its handout PIN
(the security officer sets it), and makes again a card that went missing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from flask import current_app

from app.refusals import Refused
from app.signing import locks
from app.signing.certinfo import KIND_MALI_MUHUR
from app.signing.demo_pki import CA_DIR, CONF_NAME, DEMO_SO_PIN, DemoTaxpayer, provision
from app.signing.drivers import SOFTHSM_MODULE, pkcs11_lock, use_softhsm_conf
from app.signing.tokens import refresh_and_list
from app.training.roster import TraineePlan

VALID_DAYS_BEFORE = 400  # the clock can go back a year and the cards still sign


class CardsUnavailable(Refused):
    """The demo PKI is not where the settings say."""


def demo_pki_directory() -> Path:
    conf = current_app.config.get("SOFTHSM2_CONF") or ""
    directory = Path(conf).parent if conf else None
    if directory is None or not (directory / CA_DIR / "root.pem").is_file():
        raise CardsUnavailable(
            "Demo kartları hazırlanamadı: demo sertifika otoritesi bulunamadı. Önce "
            "'python -m app.signing.demo_pki instance/demo-pki' komutunu çalıştırınız (demo komutu bunu yapar)."
        )
    return directory


def demo_taxpayer(plan: TraineePlan) -> DemoTaxpayer:
    return DemoTaxpayer(f"kursiyer-{plan.position}", plan.identifier, plan.unvan, KIND_MALI_MUHUR, plan.pin,
                        valid_days_before=VALID_DAYS_BEFORE)


def make_cards(plans: Iterable[TraineePlan]) -> int:
    """Create the cards that do not exist yet (existing complete cards are kept); returns how many cards."""
    trainees = [demo_taxpayer(plan) for plan in plans]
    provision(demo_pki_directory(), trainees)
    return len(trainees)


def restore_pins(plans: Iterable[TraineePlan]) -> None:
    """Every card's PIN back to the one on its handout (unlocks a card a trainee blocked with wrong PINs)."""
    wanted = {plan.token_label: plan.pin for plan in plans}
    use_softhsm_conf(demo_pki_directory() / CONF_NAME)
    for label, pin in wanted.items():
        # The card's own lock (note 0014): a trainee signing with it in another worker finishes first.
        with locks.token_lock(SOFTHSM_MODULE, label), pkcs11_lock():
            token = next((t for t in refresh_and_list(SOFTHSM_MODULE) if t.label == label), None)
            if token is not None:
                with token.open(rw=True, so_pin=DEMO_SO_PIN) as session:
                    session.init_pin(pin)
