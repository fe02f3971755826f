from tests.supervision.conftest import platform_department, platform_seal  # noqa: F401 (fixtures)
