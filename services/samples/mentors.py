"""Made-up mentors for the local sample setup, the tests and the benchmark: seeded, so repeatable.

They sign up, and some pause, through the listing's bulk path (listing_batch.ListingBatch):
the same moves, rows and checks as the app's own door. Every sample mentor is marked `is_sample`, has an example.com email and a LinkedIn address that
starts with "sample-", and works at a fictional agency or brand: nobody real is ever implied.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from faker import Faker
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import Mentor, MentorDiscipline, MentorLanguage, MentorOffer, Signature
from services.audit.audit_log import MENTOR
from services.core.bulk_rows import insert_rows
from services.core.matching import city_key, name_key, search_key
from services.core.vocabulary import Discipline, Offer, Seniority
from services.evidence.receipts import new_receipt_code
from services.listings.code_of_conduct import CodeOfConduct, record_code_version
from services.listings.listing_batch import ListingBatch
from services.listings.listing_lifecycle import ListingAction
from services.listings.profile import CleanProfile
from services.listings.profile_fields import search_text

# country code -> (Faker locale for names, cities, languages spoken besides English)
PLACES: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "US": ("en_US", ("New York", "Los Angeles", "Chicago", "Austin", "San Francisco"), ("es",)),
    "GB": ("en_GB", ("London", "Manchester", "Bristol", "Edinburgh", "Leeds"), ("fr", "pl")),
    "IE": ("en_IE", ("Dublin", "Cork", "Galway"), ()),
    "CA": ("en_CA", ("Toronto", "Montréal", "Vancouver"), ("fr",)),
    "FR": ("fr_FR", ("Paris", "Lyon", "Marseille", "Nantes"), ("fr",)),
    "DE": ("de_DE", ("Berlin", "Hamburg", "München", "Köln"), ("de",)),
    "ES": ("es_ES", ("Madrid", "Barcelona", "València", "Sevilla"), ("es",)),
    "IT": ("it_IT", ("Milano", "Roma", "Torino"), ("it",)),
    "NL": ("nl_NL", ("Amsterdam", "Rotterdam", "Utrecht"), ("nl", "de")),
    "SE": ("sv_SE", ("Stockholm", "Göteborg", "Malmö"), ("sv",)),
    "PL": ("pl_PL", ("Warszawa", "Kraków", "Wrocław"), ("pl",)),
    "BR": ("pt_BR", ("São Paulo", "Rio de Janeiro", "Belo Horizonte"), ("pt", "es")),
    "MX": ("es_MX", ("Ciudad de México", "Guadalajara", "Monterrey"), ("es",)),
    "AR": ("es_AR", ("Buenos Aires", "Córdoba"), ("es",)),
    "NG": ("en_NG", ("Lagos", "Abuja"), ("yo",)),
    "ZA": ("en_GB", ("Cape Town", "Johannesburg", "Durban"), ()),
    "KE": ("en_GB", ("Nairobi", "Mombasa"), ("sw",)),
    "IN": ("en_IN", ("Mumbai", "Bengaluru", "Delhi"), ("hi",)),
    "SG": ("en_GB", ("Singapore",), ("zh", "ms")),
    "JP": ("ja_JP", ("Tokyo", "Osaka"), ("ja",)),
    "AU": ("en_AU", ("Sydney", "Melbourne", "Brisbane"), ()),
    "AE": ("en_GB", ("Dubai", "Abu Dhabi"), ("ar", "hi")),
}
COUNTRY_WEIGHTS = {"US": 14, "GB": 12, "FR": 6, "DE": 6, "ES": 5, "BR": 5, "CA": 5, "IN": 5}

# discipline -> (job titles at mid level, the area's name in senior titles)
ROLES: dict[Discipline, tuple[tuple[str, ...], str]] = {
    Discipline.STRATEGY: (("Strategist", "Brand Strategist", "Planner"), "Strategy"),
    Discipline.CREATIVE_COPYWRITING: (("Copywriter", "Creative"), "Creative"),
    Discipline.ART_DIRECTION_DESIGN: (("Art Director", "Designer"), "Design"),
    Discipline.ACCOUNT_MANAGEMENT: (("Account Manager", "Client Manager"), "Client Services"),
    Discipline.MEDIA_PLANNING_BUYING: (("Media Planner", "Media Buyer"), "Media"),
    Discipline.SOCIAL: (("Social Media Manager", "Community Manager"), "Social"),
    Discipline.CONTENT: (("Content Strategist", "Content Producer", "Editor"), "Content"),
    Discipline.BRAND: (("Brand Manager", "Marketing Manager"), "Brand"),
    Discipline.PRODUCTION: (("Producer", "Production Manager"), "Production"),
    Discipline.DATA_ANALYTICS: (("Data Analyst", "Insights Manager"), "Analytics"),
    Discipline.PR_COMMS: (("PR Manager", "Press Officer"), "Communications"),
    Discipline.GROWTH_PERFORMANCE: (("Growth Marketer", "Paid Search Manager"), "Growth"),
    Discipline.PRODUCT_MARKETING: (("Product Marketing Manager",), "Product Marketing"),
    Discipline.EXPERIENCE_DESIGN: (("UX Designer", "Service Designer"), "Experience Design"),
    Discipline.PROJECT_MANAGEMENT: (("Project Manager", "Delivery Lead"), "Delivery"),
}
AGENCY_WORDS = (
    "Northbound", "Loud Minds", "Kindred", "Bright Signal", "Paper Lantern", "Wildgrass", "Bold Era",
    "Half Moon", "Open Field", "Ribbon", "Tall Tales", "Second Story", "Copper Fox", "Salt & Pixel",
)  # fmt: skip
AGENCY_KINDS = ("Creative", "Agency", "Studio", "Collective", "Partners", "Media", "& Co.")
BRANDS = (
    "Lumen Beverages", "Orbit Outdoor", "Fable Foods", "Nimbus Telecom", "Kite Mobility",
    "Harbour Bank", "Tandem Fashion", "Verdant Home", "Pico Games", "Atlas Travel",
)  # fmt: skip
AVAILABILITY_NOTES = (
    "Slower replies until January.",
    "Usually replies within a week.",
    "Busy with a pitch this month, back soon.",
    "Best reached on weekday evenings.",
    "Happy to chat, replies can take a few days.",
)
BIO_OPENINGS = (
    "I have spent {years} years in {field}, at agencies and in-house.",
    "{years} years in {field}, most recently on global brand launches.",
    "I started as an intern and have now worked {years} years in {field}.",
    "Career switcher: I moved into {field} {years} years ago and love helping others do the same.",
)
BATCH = 2000
BIO_HELP = (
    "Happy to look at portfolios and talk through your first role.",
    "Ask me anything about pitching, briefs and working with clients.",
    "I enjoy helping students prepare for interviews.",
    "Glad to share what I wish I had known when I started.",
)


@dataclass(frozen=True)
class SampleMentor:
    profile: CleanProfile
    signed_up_at: datetime
    paused_at: datetime | None  # when the mentor paused their listing, if they did


def generate_mentors(count: int, *, now: datetime, seed: int = 42) -> Iterator[SampleMentor]:
    """`count` made-up mentors; the same seed and `now` always give the same people."""
    rng = random.Random(seed)
    fakers = {code: Faker(locale) for code, (locale, _, _) in PLACES.items()}
    for index, fake in enumerate(fakers.values()):
        fake.seed_instance(seed + index)
    countries = list(PLACES)
    weights = [COUNTRY_WEIGHTS.get(code, 2) for code in countries]
    for number in range(1, count + 1):
        yield _sample_mentor(number, rng, fakers, rng.choices(countries, weights)[0], now)


def _sample_mentor(
    number: int, rng: random.Random, fakers: dict[str, Faker], country: str, now: datetime
) -> SampleMentor:
    _, cities, local_languages = PLACES[country]
    fake = fakers[country]
    name = f"{fake.first_name()} {fake.last_name()}"
    disciplines = rng.sample(list(Discipline), rng.choice((1, 1, 2, 3)))
    seniority = rng.choices(list(Seniority), (3, 5, 4, 2, 1))[0]
    languages = {
        "en",
        *rng.sample(local_languages, min(len(local_languages), rng.choice((0, 1, 1)))),
    }
    years = {Seniority.MID_LEVEL: 4, Seniority.SENIOR: 8, Seniority.DIRECTOR: 12}.get(seniority, 16)
    bio = " ".join(
        (
            rng.choice(BIO_OPENINGS).format(
                years=years + rng.randint(0, 4), field=disciplines[0].label.lower()
            ),
            rng.choice(BIO_HELP),
        )
    )
    slug = re.sub(r"[^a-z0-9]+", "-", search_key(name)).strip("-")  # a plain, valid profile slug
    profile = CleanProfile(
        full_name=name,
        pronouns=rng.choice((None, None, "she/her", "he/him", "they/them")),
        headline=_headline(rng, disciplines[0], seniority),
        company=_company(rng),
        disciplines=tuple(d.value for d in disciplines),
        seniority=seniority.value,
        country=country,
        city=rng.choice(cities),
        languages=tuple(sorted(languages)),
        offers=tuple(o.value for o in rng.sample(list(Offer), rng.randint(1, 3))),
        bio=bio,
        linkedin_url=f"https://www.linkedin.com/in/sample-{slug}-{number}".replace("--", "-"),
        email=f"sample.mentor.{number}@example.com",
        open_to_new_mentees=rng.random() < 0.8,
        availability_note=rng.choice(AVAILABILITY_NOTES) if rng.random() < 0.25 else None,
    )
    paused = rng.choices((False, True), (93, 7))[0]
    signed_up_at = now - timedelta(minutes=rng.randint(60, 2 * 365 * 24 * 60))
    paused_at = signed_up_at + (now - signed_up_at) * rng.random()
    return SampleMentor(profile=profile, signed_up_at=signed_up_at,
                        paused_at=paused_at if paused else None)  # fmt: skip


def _headline(rng: random.Random, discipline: Discipline, seniority: Seniority) -> str:
    titles, area = ROLES[discipline]
    return {
        Seniority.MID_LEVEL: rng.choice(titles),
        Seniority.SENIOR: "Senior " + rng.choice(titles),
        Seniority.DIRECTOR: f"{area} Director",
        Seniority.VP: f"VP, {area}",
        Seniority.C_SUITE_FOUNDER: rng.choice(("Founder", "Co-founder", f"Chief {area} Officer")),
    }[seniority]


def _company(rng: random.Random) -> str | None:
    roll = rng.random()
    if roll < 0.1:
        return None  # freelancers
    if roll < 0.4:
        return rng.choice(BRANDS)
    return f"{rng.choice(AGENCY_WORDS)} {rng.choice(AGENCY_KINDS)}"


def insert_sample_mentors(
    session: Session, *, count: int, code: CodeOfConduct, now: datetime, seed: int = 42,
    marked: bool = True,
) -> int:  # fmt: skip
    """Add `count` sample mentors in bulk: each signs up (and signs the Code), some pause later,
    every move through the listing's bulk path (listing_batch.ListingBatch). Without `marked`
    they are not marked as sample data, so the clock treats them as real (benchmarks only)."""
    version_id = record_code_version(session, code=code)
    first_id = (session.scalar(select(func.max(Mentor.id))) or 0) + 1
    batch: list[SampleMentor] = []
    for sample in generate_mentors(count, now=now, seed=seed + first_id):
        batch.append(sample)
        if len(batch) == BATCH:
            sign_up_samples(session, batch, version_id, code, marked=marked)
            batch = []
    sign_up_samples(session, batch, version_id, code, marked=marked)
    return count


def sign_up_samples(
    session: Session, samples: list[SampleMentor], version_id: int, code: CodeOfConduct,
    *, confirmed: bool = True, marked: bool = True,
) -> list[int]:  # fmt: skip
    """What sign_code_of_conduct, confirm_sign_up and pause_listing write, for many sample mentors
    at once (without `confirmed`, they stay awaiting confirmation); their ids."""
    listings = ListingBatch(session)
    ids: list[int] = []
    discipline_rows: list[dict[str, Any]] = []
    language_rows: list[dict[str, Any]] = []
    offer_rows: list[dict[str, Any]] = []
    signature_rows: list[dict[str, Any]] = []
    for sample in samples:
        p = sample.profile
        profile = {
            "full_name": p.full_name, "pronouns": p.pronouns, "headline": p.headline,
            "company": p.company, "seniority": p.seniority, "country": p.country, "city": p.city,
            "bio": p.bio, "linkedin_url": p.linkedin_url, "email": p.email,
            "open_to_new_mentees": p.open_to_new_mentees, "availability_note": p.availability_note,
            "is_sample": marked, "search_text": search_text(p), "name_key": name_key(p.full_name),
            "city_key": city_key(p.city), "email_key": p.email_key, "linkedin_key": p.linkedin_key,
            "manage_token_hash": None, "created_at": sample.signed_up_at,
        }  # fmt: skip
        mentor_id = listings.sign_up(profile, actor=MENTOR, now=sample.signed_up_at).mentor_id
        ids.append(mentor_id)
        if confirmed:  # made-up addresses: "confirmed" in the same minute, no mail goes out
            listings.move(mentor_id, ListingAction.CONFIRM, actor=MENTOR, now=sample.signed_up_at)
        if confirmed and sample.paused_at is not None:
            listings.move(mentor_id, ListingAction.PAUSE, actor=MENTOR, now=sample.paused_at)
        discipline_rows += [{"mentor_id": mentor_id, "discipline": d} for d in p.disciplines]
        language_rows += [{"mentor_id": mentor_id, "language": lang} for lang in p.languages]
        offer_rows += [{"mentor_id": mentor_id, "offer": o} for o in p.offers]
        signature_rows.append(
            {
                "mentor_id": mentor_id, "code_version_id": version_id, "typed_name": p.full_name,
                "agreement_text": code.agreement_label, "occasion": "sign_up",
                "signed_at": sample.signed_up_at, "user_agent": "sample data", "ip_address": None,
                "receipt_code": new_receipt_code(), "audit_event_id": None,
            }
        )  # fmt: skip
    listings.write()
    for model, rows in ((MentorDiscipline, discipline_rows), (MentorLanguage, language_rows),
                        (MentorOffer, offer_rows), (Signature, signature_rows)):  # fmt: skip
        insert_rows(session, model, rows)
    return ids
