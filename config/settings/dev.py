"""Development and demo: DEBUG on, a fixed local secret, SQLite unless KP_DATABASE_URL says otherwise."""

from config.settings import public_keys
from config.settings.base import *  # noqa: F403
from config.settings.env import env_bool, env_str

DEBUG = env_bool("KP_DEBUG", True)
SECRET_KEY = env_str("KP_SECRET_KEY", public_keys.DEV_SECRET_KEY)
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# A public development key for national IDs; never use it with real voter lists.
VOTER_ID_KEY = env_str("KP_VOTER_ID_KEY", public_keys.DEV_VOTER_ID_KEY)
# Public development keys for the audit log (docs/audit.md); never use them for a real election. The signing key
# is base64 of the 32 ASCII bytes "dev-only-audit-signing-key-00000": anyone can sign checkpoints with it.
AUDIT_KEY = env_str("KP_AUDIT_KEY", public_keys.DEV_AUDIT_KEY)
AUDIT_SIGNING_KEY = env_str("KP_AUDIT_SIGNING_KEY", public_keys.DEV_AUDIT_SIGNING_KEY)
# The demo's logins are public: no second factor (KP_SECOND_FACTOR=1 turns it on to try it).
SECOND_FACTOR_REQUIRED = env_bool("KP_SECOND_FACTOR", False)
