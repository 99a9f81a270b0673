"""Bad input gets a clear message in both languages, never a crash."""

import pytest

from careguide.factcheck import MAX_CHARS, FactcheckInputError, check_text


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "empty"),
        ("   \n\t ", "empty"),
        ("x" * (MAX_CHARS + 1), "too_long"),
        ("12345 !!! 😀😀", "no_text"),
        ("この薬は癌を治します", "unsupported_language"),
        ("이 약은 암을 치료합니다", "unsupported_language"),
        ("Ce thé guérit le diabète et il est naturel pour les malades", "unsupported_language"),
        ("Этот чай лечит диабет", "unsupported_language"),
    ],
)
def test_bad_input_is_refused_with_a_bilingual_message(text, code):
    with pytest.raises(FactcheckInputError) as caught:
        check_text(text)
    assert caught.value.code == code
    assert caught.value.message("en").isascii()
    assert not caught.value.message("zh").isascii()


def test_non_string_input_is_refused():
    with pytest.raises(FactcheckInputError):
        check_text(None)  # type: ignore[arg-type]


def test_english_headline_without_function_words_is_accepted():
    assert check_text("Gene Therapy Cures Adult Leukemia").text_language == "en"
