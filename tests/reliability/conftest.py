"""The reliability suite: a `case` mark ties each test to its row in docs/reliability.md.

`published_sample` is the one expensive set-up the end-to-end tests share: a small faulty sample
with extra deliveries, run once through `tradepulse run` in a subprocess. Tests copy it.
"""

import pytest
from reliability_sample import PublishedSample, publish_sample


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "case(id): the case of docs/reliability.md a test proves")


@pytest.fixture(scope="session")
def published_sample(tmp_path_factory: pytest.TempPathFactory) -> PublishedSample:
    """A faulty 10,000-line sample plus extra deliveries, published by `tradepulse run`."""
    return publish_sample(
        tmp_path_factory.mktemp("published-sample"),
        tmp_path_factory.mktemp("logs") / "first-run.log",
    )
