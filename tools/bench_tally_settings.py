"""Settings of tools/bench_tally_api.py only: the benchmark settings (config.settings.bench: DEBUG off, the site's
middleware) with the URL conf of tools/bench_tally_urls.py, which adds a bare DRF view as the yardstick.

gunicorn finds this module with `--pythonpath tools`; nothing in the product imports it.
"""

from config.settings.bench import *  # noqa: F403

ROOT_URLCONF = "bench_tally_urls"
