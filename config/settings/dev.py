"""Development and demo: DEBUG on, a fixed local secret, SQLite unless KP_DATABASE_URL says otherwise."""

from config.settings.base import *  # noqa: F403
from config.settings.env import env_bool, env_str

DEBUG = env_bool("KP_DEBUG", True)
SECRET_KEY = env_str("KP_SECRET_KEY", "dev-only-secret-key-not-for-production-0123456789abcdef")
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# A public development key for national IDs; never use it with real voter lists.
VOTER_ID_KEY = env_str("KP_VOTER_ID_KEY", "dev-only-voter-id-key-not-for-production-0123456789")
