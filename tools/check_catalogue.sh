#!/usr/bin/env bash
# Every message a user can see is in the Vietnamese catalogue: the messages are extracted afresh into a copy of
# locale/ (makemessages), and the copy must have no untranslated and no fuzzy entry. Run by bin/test.
# To fix a failure: manage.py makemessages -l vi --no-obsolete, translate the new entries, manage.py compilemessages.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v msgfmt >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null
  else
    echo "The catalogue check needs GNU gettext: run 'sudo apt-get install gettext' and try again." >&2
    exit 1
  fi
fi
copy=$(mktemp -d)
keep=$(mktemp -d)
# makemessages also writes into ./locale when run from the project folder: keep the real catalogue as it was.
cp -r locale/. "$keep/"
trap 'rm -rf locale && cp -r "$keep/." locale/ && rm -rf "$copy" "$keep"' EXIT
cp -r locale/. "$copy/"
KP_LOCALE_DIR="$copy" DJANGO_SETTINGS_MODULE=config.settings.test .venv/bin/python manage.py makemessages -l vi --no-obsolete -v0
stats=$(LC_ALL=C msgfmt --statistics -c -o /dev/null "$copy/vi/LC_MESSAGES/django.po" 2>&1)
case "$stats" in
  *fuzzy*|*untranslated*)
    echo "The Vietnamese catalogue is not complete: $stats" >&2
    LC_ALL=C msgattrib --only-fuzzy --no-obsolete "$copy/vi/LC_MESSAGES/django.po" | grep '^msgid' | head -20 >&2 || true
    LC_ALL=C msgattrib --untranslated --no-obsolete "$copy/vi/LC_MESSAGES/django.po" | grep '^msgid' | head -20 >&2 || true
    exit 1 ;;
esac
echo "Vietnamese catalogue: $stats"
