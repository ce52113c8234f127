from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "public"
    verbose_name = "Public site and open data"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from elections.models import Election

        # A new or removed election changes which counters a slug names: every process forgets them.
        for signal in (post_save, post_delete):
            signal.connect(_election_changed, sender=Election, dispatch_uid=f"public-revisions-{signal}")


def _election_changed(**kwargs: object) -> None:
    from results.publication.counters import notify

    notify()
