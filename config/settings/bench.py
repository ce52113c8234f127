"""Benchmarks (tools/bench_public.py): production-like request handling, plus a bare view to compare with."""

from config.settings.dev import *  # noqa: F403

DEBUG = False
ROOT_URLCONF = "config.bench_urls"
# WhiteNoise's development finders and autorefresh scan the static folders on every request; production
# serves collected files, so the benchmark does too (it fetches no static file).
WHITENOISE_USE_FINDERS = False
WHITENOISE_AUTOREFRESH = False
