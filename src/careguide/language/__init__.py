"""careguide.language: text understanding shared by every skill (en + zh).

- :func:`normalise`, :func:`detect_language` - clean text, guess its language
- :class:`Lexicon` - phrase matching with ConText negation / hypothetical / other-person assertions
- :func:`duration_days`, :func:`severity`, :func:`age_years`, :func:`sex`, :func:`measurements`
- :func:`segment` - jieba segmentation with a medical dictionary
- :func:`parse_number` - digits, English number words, Chinese numerals
"""

from careguide.language.context import Assertion, assertion
from careguide.language.extract import age_years, duration_days, measurements, severity, sex
from careguide.language.lexicon import Lexicon, Mention
from careguide.language.normalise import LanguageGuess, detect_language, has_meaningful_text, normalise
from careguide.language.numbers import parse_number
from careguide.language.segment import add_words, segment

__all__ = [
    "Assertion", "LanguageGuess", "Lexicon", "Mention", "add_words", "age_years", "assertion",
    "detect_language", "duration_days", "has_meaningful_text", "measurements", "normalise",
    "parse_number", "segment", "severity", "sex",
]
