"""The project package; `app` is the Celery app of the workers (config/celery.py)."""

from config.celery import app as celery_app

__all__ = ("celery_app",)
