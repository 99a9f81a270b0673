import pytest

from careguide.assistant import Assistant, Retriever


@pytest.fixture(scope="session")
def retriever() -> Retriever:
    return Retriever(use_embeddings=False)


@pytest.fixture(scope="session")
def assistant(retriever: Retriever) -> Assistant:
    from careguide.config import Settings
    from careguide.llm import NoLLM

    return Assistant(Settings(default_language="en"), llm=NoLLM(), retriever=retriever)
