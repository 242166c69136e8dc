"""Settings from the environment and the secrets: what an operator configures, and what is refused."""

from __future__ import annotations

import pytest

from services.core.settings import InsecureSettings, load_settings


def test_the_contact_address_comes_from_the_secrets_or_the_environment() -> None:
    from_secrets = load_settings({"contact": {"email": " team@wearenext.example "}}, environ={})
    assert from_secrets.contact_email == "team@wearenext.example"
    from_env = load_settings({"contact": {"email": "a@b.example"}}, environ={"CONTACT_EMAIL": "c@d.example"})
    assert from_env.contact_email == "c@d.example"


@pytest.mark.parametrize("value", ["", "not an address", "x@y", "a@b.example)](javascript:alert(1)"])
def test_a_contact_address_that_is_not_one_is_not_shown(value: str) -> None:
    assert load_settings({"contact": {"email": value}}, environ={}).contact_email is None


def test_placeholder_secrets_are_refused_outside_the_local_sample_setup() -> None:
    with pytest.raises(InsecureSettings):
        load_settings({"moderators": {"alice": "$argon2id$REPLACE-ME"}},
                      environ={"DATABASE_URL": "postgresql://db.example/wan"})  # fmt: skip
