"""Every staff page's address, by chapter, under the namespaces they always had.

`elections:` the structure pages, `voters:` the voter lists (with the public lookup, config/urls.py), `results:`
election day, results, minutes and deadlines (office/tallies, office/outcomes, office/minutes, office/deadlines).
"""

from office.deadlines import urls as deadlines_urls
from office.minutes import urls as minutes_urls
from office.outcomes import urls as outcomes_urls
from office.tallies import urls as tallies_urls

results = (
    [*tallies_urls.urlpatterns, *outcomes_urls.urlpatterns, *minutes_urls.urlpatterns, *deadlines_urls.urlpatterns],
    "results",
)
