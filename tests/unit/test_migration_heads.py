"""Each service's migrations form one line: revisions added on two branches at once must be
chained after merging, or `migrate` refuses to choose between the heads."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.script import ScriptDirectory

from services import registry
from shared.migrations import alembic_config

SERVICES = Path(registry.__file__).parent


@pytest.mark.parametrize("name", registry.NAMES)
def test_each_service_s_migrations_have_one_head(name: str) -> None:
    scripts = ScriptDirectory.from_config(alembic_config(SERVICES / name / "migrations"))
    assert len(scripts.get_heads()) == 1, scripts.get_heads()
