"""The voice page in Chromium with a fake microphone: a question asked aloud gets a spoken answer.

Chromium plays a WAV into getUserMedia (``--use-file-for-fake-audio-capture``); the WAV is the
shipped English Piper voice reading a health question, so the whole path runs for real:
MediaRecorder WebM -> upload -> Whisper -> the assistant -> Piper -> the page's audio element.
"""

from __future__ import annotations

import io
import json
import wave
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from webkit import login, set_senior_mode

from careguide.voice import capabilities, speak
from careguide.voice.audio import wav_bytes
from conftest import CHROMIUM_ARGS, chromium_path

pytestmark = pytest.mark.browser

QUESTION = "I have had a headache since yesterday."
TAIL_SILENCE_S = 4.0  # Chromium loops the file: silence after the question keeps a second copy out
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def spoken_question(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, float]:
    """The question read by the shipped English voice, 16-bit PCM mono, with silence after it."""
    if not (capabilities("en").can_speak and capabilities("en").can_listen):
        pytest.fail("the English voice engines ship with the package and must be available")
    speech = speak(QUESTION, "en")
    with wave.open(io.BytesIO(speech.wav)) as reader:
        rate = reader.getframerate()
        samples = np.frombuffer(reader.readframes(reader.getnframes()), dtype="<i2").astype(np.float32) / 32768
    padded = np.concatenate([np.zeros(int(0.3 * rate), np.float32), samples,
                             np.zeros(int(TAIL_SILENCE_S * rate), np.float32)])
    path = tmp_path_factory.mktemp("mic") / "question.wav"
    path.write_bytes(wav_bytes(padded, rate))
    return path, speech.duration_s


@pytest.fixture(scope="module")
def microphone_browser(playwright_driver, spoken_question: tuple[Path, float]) -> Iterator[object]:  # type: ignore[no-untyped-def]
    path = chromium_path()
    if path is None:
        pytest.fail("Chromium is missing: `make test` installs Debian's chromium package (make system-deps)")
    args = [*CHROMIUM_ARGS, "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
            f"--use-file-for-fake-audio-capture={spoken_question[0]}", "--autoplay-policy=no-user-gesture-required"]
    instance = playwright_driver.chromium.launch(executable_path=path, headless=True, args=args)
    yield instance
    instance.close()


def test_question_asked_aloud_is_transcribed_answered_and_spoken_on_a_phone(microphone_browser, live_server,
                                                                             spoken_question):
    context = microphone_browser.new_context(base_url=live_server, locale="en-US", viewport=PHONE,
                                             has_touch=True, permissions=["microphone"])
    page = context.new_page()
    try:
        login(page, "demo_en")
        set_senior_mode(page, True)
        page.goto("/")
        page.click("a[href='/voice']")
        talk = page.locator("#talk")
        talk.wait_for(state="visible")
        page.wait_for_function("!document.getElementById('talk').disabled")
        box = talk.bounding_box()
        assert box and box["width"] >= 250 and box["height"] >= 200, box  # one large button on a phone
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

        talk.click()
        page.wait_for_selector("#talk[aria-pressed=true], #voice-error:not([hidden])")
        assert talk.get_attribute("aria-pressed") == "true", page.locator("#voice-error").inner_text()
        page.wait_for_timeout(int((spoken_question[1] + 1.5) * 1000))
        with page.expect_response(lambda r: r.url.endswith("/turn"), timeout=180_000) as turn:
            talk.click()
        assert turn.value.status == 200, turn.value.text()
        body = json.loads(turn.value.text())
        assert body["audio_wav_base64"], "the answer came back without speech"

        page.locator("#transcript").wait_for(state="visible")
        heard = set(page.locator("#transcript").inner_text().lower().replace(".", " ").split())
        assert len(heard & {"i", "have", "had", "a", "headache", "since", "yesterday"}) >= 5, heard
        assert "headache" in heard
        assert page.locator("#answer").inner_text().strip()
        assert page.locator("#answer-audio").get_attribute("src", timeout=5_000).startswith("blob:")
        duration = page.evaluate("""() => new Promise(done => {
            const audio = document.getElementById('answer-audio');
            if (audio.readyState >= 1) return done(audio.duration);
            audio.addEventListener('loadedmetadata', () => done(audio.duration), {once: true});
            setTimeout(() => done(0), 10000);
        })""")
        assert duration > 1.0, duration  # a spoken answer, not an empty clip
        assert not page.locator("#voice-error").is_visible()
    finally:
        context.close()
