from tests.results.minutes_fixtures import counted  # noqa: F401 (the fixed data set of the minutes tests)
