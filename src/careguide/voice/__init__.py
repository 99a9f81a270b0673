"""careguide.voice: speech to text and text to speech for the assistant, in English and Mandarin.

- :func:`transcribe` - recorded audio bytes -> :class:`Transcript`
- :func:`hear_answer` - a spoken reply to a yes/no question -> yes / no / dont_know
- :func:`speak` - text -> :class:`SpeechAudio` (WAV), numbers and units read as people say them
- :func:`capabilities` - can this deployment listen / speak in a language (else offer typing)
- :class:`SpeechToText`, :class:`TextToSpeech` - the engine interfaces (``base.py``); engines sit
  beside them one file each and :mod:`careguide.voice.engines` picks them from settings.

Errors are :class:`VoiceError` (:class:`EngineUnavailable` when no engine serves a language);
``error.message(lang)`` is the sentence to show the person.
"""

from careguide.voice.answers import RecognisedAnswer, recognise_answer
from careguide.voice.base import (
    AnswerId,
    DecodedAudio,
    EngineInfo,
    EngineUnavailable,
    SpeechAudio,
    SpeechToText,
    TextToSpeech,
    Transcript,
    VoiceCapabilities,
    VoiceError,
    VoiceLang,
)
from careguide.voice.service import HeardAnswer, capabilities, hear_answer, speak, transcribe
from careguide.voice.speech_text import for_speech

__all__ = [
    "AnswerId", "DecodedAudio", "EngineInfo", "EngineUnavailable", "HeardAnswer", "RecognisedAnswer",
    "SpeechAudio", "SpeechToText", "TextToSpeech", "Transcript", "VoiceCapabilities", "VoiceError", "VoiceLang",
    "capabilities", "for_speech", "hear_answer", "recognise_answer", "speak", "transcribe",
]
