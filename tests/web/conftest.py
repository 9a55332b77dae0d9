from tests.dashboard.conftest import figures_plan  # noqa: F401 (the hand-counted plan, reused)
