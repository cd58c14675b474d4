"""Tokens on real SoftHSM2: what is listed without a PIN, keys that never leave, log-out, and the mapped errors."""

from __future__ import annotations

import subprocess
import sys

import pkcs11
import pytest
from cryptography.hazmat.primitives import serialization
from pkcs11 import Attribute, ObjectClass
from pkcs11 import exceptions as p11

from app.signing import errors
from app.signing.act import signing_act
from app.signing.certinfo import KIND_MALI_MUHUR
from app.signing.demo_pki import DemoTaxpayer, provision
from app.signing.drivers import get_library, module_path_for, pkcs11_lock
from app.identifiers import vkn_check_digit
from app.signing.tokens import find_token, list_tokens, token_error_from


def test_list_tokens_shows_every_demo_card_with_its_certificate_without_a_pin(demo_pki):
    listed = {token.label: token for token in list_tokens(demo_pki.module_path)}

    for demo in demo_pki.tokens:
        certificate = listed[demo.label].signing_certificate
        assert certificate is not None
        assert (certificate.owner_id, certificate.owner_name, certificate.kind) == (demo.owner_id, demo.owner_name, demo.kind)


def test_private_key_is_sensitive_and_cannot_be_read_or_exported(demo_pki):
    token = demo_pki.token("anadolu")
    with signing_act(demo_pki.module_path, token.label, token.pin) as act:
        assert act.token_key[Attribute.SENSITIVE] is True
        assert act.token_key[Attribute.EXTRACTABLE] is False
        with pytest.raises(p11.AttributeSensitive):
            act.token_key[Attribute.PRIVATE_EXPONENT]
        with pytest.raises(errors.UnsupportedKeyError):
            act.key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )


def _private_keys_visible_without_pin(module_path: str, label: str) -> list:
    with pkcs11_lock():
        token = find_token(module_path, label)
        with token.open() as session:
            return list(session.get_objects({Attribute.CLASS: ObjectClass.PRIVATE_KEY}))


def test_after_the_act_the_token_is_logged_out_and_nothing_signs_without_the_pin(demo_pki):
    token = demo_pki.token("anadolu")
    with signing_act(demo_pki.module_path, token.label, token.pin) as act:
        assert len(_private_keys_visible_without_pin(demo_pki.module_path, token.label)) == 1  # login is per process
        act.sign_bytes(b"challenge")

    assert _private_keys_visible_without_pin(demo_pki.module_path, token.label) == []
    with pytest.raises(errors.ActClosedError):
        act.sign_bytes(b"challenge")
    with pytest.raises(errors.ActClosedError):
        act.sign_enveloped(b"<Talep/>")


def test_logged_out_even_when_the_act_fails(demo_pki):
    token = demo_pki.token("anadolu")
    with pytest.raises(RuntimeError):
        with signing_act(demo_pki.module_path, token.label, token.pin):
            raise RuntimeError("sayfa hatası")

    assert _private_keys_visible_without_pin(demo_pki.module_path, token.label) == []


def test_raw_signature_verifies_with_the_certificate(demo_pki):
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15

    for key in ("anadolu", "marmara"):
        token = demo_pki.token(key)
        with signing_act(demo_pki.module_path, token.label, token.pin) as act:
            signature = act.sign_bytes(b"sunucu meydan okumasi")
            public_key = act.certificate.public_key()
        if act.is_ec:
            public_key.verify(signature, b"sunucu meydan okumasi", ec.ECDSA(hashes.SHA384()))
        else:
            public_key.verify(signature, b"sunucu meydan okumasi", PKCS1v15(), hashes.SHA256())


def test_wrong_pin_is_refused_once_with_a_clear_message_and_a_tries_warning(demo_pki):
    token = demo_pki.token("ege")
    with pytest.raises(errors.WrongPinError) as caught:
        with signing_act(demo_pki.module_path, token.label, "000000"):
            pytest.fail("a wrong PIN must not open the act")

    assert caught.value.code == "wrong_pin"
    assert "hatalı" in caught.value.message and "yeniden denenmez" in caught.value.message
    assert caught.value.count_low  # SoftHSM sets USER_PIN_COUNT_LOW after a failed login
    assert "deneme hakkınız" in caught.value.message
    assert any(t.pin_count_low for t in list_tokens(demo_pki.module_path) if t.label == token.label)
    with signing_act(demo_pki.module_path, token.label, token.pin) as act:  # the right PIN still works
        assert act.certificate_info.owner_id == token.owner_id


def test_empty_pin_is_refused_before_the_card_is_touched(demo_pki):
    with pytest.raises(errors.WrongPinError, match="girilmedi"):
        with signing_act(demo_pki.module_path, demo_pki.token("ege").label, ""):
            pass


def test_unknown_token_says_the_card_is_not_there(demo_pki):
    with pytest.raises(errors.TokenNotFoundError) as caught:
        with signing_act(demo_pki.module_path, "MM-0000000000", "111111"):
            pass
    assert caught.value.code == "token_not_found"
    assert "kart bulunamadı" in caught.value.message


def test_without_a_label_several_cards_are_ambiguous(demo_pki):
    with pytest.raises(errors.TokenNotFoundError) as caught:
        with signing_act(demo_pki.module_path, None, "111111"):
            pass
    assert caught.value.code == "token_ambiguous"


def test_missing_driver_library_is_reported(tmp_path):
    with pytest.raises(errors.DriverMissingError) as caught:
        list_tokens(str(tmp_path / "libakisp11.so"))
    assert caught.value.code == "driver_missing"
    assert "sürücüsü" in caught.value.message


def test_a_file_that_is_not_a_pkcs11_library_is_reported_as_missing_driver(tmp_path):
    fake = tmp_path / "libfake.so"
    fake.write_bytes(b"not a shared object")
    with pytest.raises(errors.DriverMissingError):
        with signing_act(str(fake), None, "111111"):
            pass


def test_unknown_driver_name_is_reported():
    with pytest.raises(errors.DriverNotConfiguredError):
        module_path_for("Bilinmeyen", {"SoftHSM": "/usr/lib/softhsm/libsofthsm2.so"})
    assert module_path_for("SoftHSM") == "/usr/lib/softhsm/libsofthsm2.so"


def test_expired_certificate_is_refused_before_the_pin_is_used(demo_pki):
    token = demo_pki.token("karadeniz")
    with pytest.raises(errors.CertificateExpiredError) as caught:
        with signing_act(demo_pki.module_path, token.label, "wrong-pin-never-tried"):
            pass
    assert "süresi" in caught.value.message and "dolmuştur" in caught.value.message


def test_certificate_of_another_taxpayer_is_refused(demo_pki):
    token = demo_pki.token("ege")
    with pytest.raises(errors.CertificateOwnerMismatchError) as caught:
        with signing_act(demo_pki.module_path, token.label, token.pin, expected_owner_id="4821307561"):
            pass
    assert "6132704183" in caught.value.message and "4821307561" in caught.value.message


@pytest.mark.parametrize(
    ("failure", "expected"),
    [
        (p11.PinLocked, errors.PinLockedError),
        (p11.DeviceRemoved, errors.TokenRemovedError),
        (p11.TokenNotPresent, errors.TokenRemovedError),
        (p11.SessionClosed, errors.TokenRemovedError),
        (p11.FunctionFailed, errors.TokenError),
    ],
)
def test_card_failures_that_softhsm_cannot_produce_map_to_clear_errors(failure, expected):
    """Real cards lock the PIN and report removal with these codes; SoftHSM never does."""
    mapped = token_error_from(failure())
    assert isinstance(mapped, expected)
    assert mapped.message and mapped.code


@pytest.fixture
def removable_token(demo_pki):
    """A throw-away token added to the session's demo PKI (the test deletes it)."""
    taxpayer = DemoTaxpayer("gecici", "98765432" + "1" + vkn_check_digit("987654321"), "Geçici Deneme A.Ş.", KIND_MALI_MUHUR, "777777")
    provision(demo_pki.directory, [taxpayer])
    yield taxpayer
    subprocess.run(
        ["softhsm2-util", "--delete-token", "--token", taxpayer.token_label],
        env={"SOFTHSM2_CONF": str(demo_pki.softhsm_conf), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        check=False,
    )
    list_tokens(demo_pki.module_path)  # the process forgets the deleted token


def test_token_removed_during_the_act_is_reported_and_the_next_act_works(demo_pki, removable_token, invoice):
    delete = ["softhsm2-util", "--delete-token", "--token", removable_token.token_label]
    with pytest.raises(errors.TokenRemovedError) as caught:
        with signing_act(demo_pki.module_path, removable_token.token_label, removable_token.pin) as act:
            act.sign_bytes(b"before removal")
            subprocess.run(delete, env={"SOFTHSM2_CONF": str(demo_pki.softhsm_conf)}, check=True, capture_output=True)
            act.sign_enveloped(invoice)
    assert "çıkarıldı" in caught.value.message

    with pytest.raises(errors.TokenNotFoundError):
        with signing_act(demo_pki.module_path, removable_token.token_label, removable_token.pin):
            pass
    other = demo_pki.token("ege")
    with signing_act(demo_pki.module_path, other.label, other.pin) as act:
        assert act.sign_bytes(b"after removal")


def test_nothing_touches_the_token_at_import():
    code = "import app.signing, app.signing.demo_pki, pkcs11; from app.signing import drivers; print(len(drivers._libraries))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "0"


def test_library_is_loaded_once_per_process(demo_pki):
    with pkcs11_lock():
        assert get_library(demo_pki.module_path) is get_library(demo_pki.module_path)
    assert isinstance(get_library(demo_pki.module_path), pkcs11._pkcs11.lib)


def test_the_provisioning_summary_writes_no_pin_where_it_is_not_a_terminal(demo_pki, capsys):  # type: ignore[no-untyped-def]
    """Demo PINs are shown to a person at a terminal; piped to a file or a service's log, the summary has none."""
    from app.signing.demo_pki import _print_summary

    _print_summary(demo_pki)
    out = capsys.readouterr().out
    assert demo_pki.tokens[0].label in out and "README" in out
    assert all(f" {token.pin} " not in out for token in demo_pki.tokens)
