from django.urls import path, re_path

from api import decisions, elections, errors, health, minutes, photos, publication, results, tallies, voters

app_name = "api"

TALLY = "elections/<slug:election>/tallies/<str:unit>/<str:contest>/"

urlpatterns = [
    path(TALLY, tallies.TallyView.as_view(), name="tally"),
    path(TALLY + "submit/", tallies.SubmitView.as_view(), name="tally-submit"),
    path(TALLY + "return/", tallies.ReturnView.as_view(), name="tally-return"),
    path(TALLY + "approve/", tallies.ApproveView.as_view(), name="tally-approve"),
    path(TALLY + "annul/", tallies.AnnulView.as_view(), name="tally-annul"),
    path(TALLY + "minutes.pdf", minutes.TallyMinutesPdfView.as_view(), name="tally-minutes-pdf"),
    path(TALLY + "minutes/", minutes.TallyMinutesView.as_view(), name="tally-minutes"),
    path(TALLY + "photos/", photos.TallyPhotosView.as_view(), name="tally-photos"),
    path(TALLY + "photos/<int:photo>/", photos.TallyPhotoView.as_view(), name="tally-photo"),
    path(
        "elections/<slug:election>/polling-units/<str:unit>/turnout/<str:at>/",
        tallies.TurnoutReportView.as_view(),
        name="turnout-report",
    ),
    path("health/", health.HealthView.as_view(), name="health"),
    path("me/", elections.MeView.as_view(), name="me"),
    path("elections/", elections.ElectionListView.as_view(), name="election-list"),
    path("elections/<slug:election>/", elections.ElectionDetailView.as_view(), name="election-detail"),
    path(
        "elections/<slug:election>/polling-units/<str:code>/",
        elections.PollingUnitDetailView.as_view(),
        name="polling-unit-detail",
    ),
    path(
        "elections/<slug:election>/constituencies/<str:code>/",
        elections.ConstituencyDetailView.as_view(),
        name="constituency-detail",
    ),
    path("elections/<slug:election>/voter-lookup/", voters.VoterLookupView.as_view(), name="voter-lookup"),
    path(
        "elections/<slug:election>/results/<str:constituency>/",
        results.ConstituencyResultView.as_view(),
        name="constituency-result",
    ),
    path(
        "elections/<slug:election>/results/<str:constituency>/publish/",
        publication.PublishView.as_view(),
        name="constituency-publish",
    ),
    path(
        "elections/<slug:election>/results/<str:constituency>/rounds/",
        decisions.RoundsView.as_view(),
        name="constituency-rounds",
    ),
    path(
        "elections/<slug:election>/results/<str:constituency>/decisions/",
        decisions.DecisionsView.as_view(),
        name="constituency-decisions",
    ),
    path("elections/<slug:election>/turnout/", publication.TurnoutView.as_view(), name="turnout"),
    path(
        "elections/<slug:election>/results/<str:constituency>/minutes.pdf",
        minutes.ConstituencyMinutesPdfView.as_view(),
        name="constituency-minutes-pdf",
    ),
    path(
        "elections/<slug:election>/results/<str:constituency>/minutes/",
        minutes.ConstituencyMinutesView.as_view(),
        name="constituency-minutes",
    ),
    path(
        "elections/<slug:election>/contests/<str:contest>/results/",
        results.ContestResultView.as_view(),
        name="contest-result",
    ),
    # Last: any other address under /api/v1/ answers a JSON 404 as the API does, not the site's HTML page.
    re_path(r"^", errors.not_found, name="not-found"),
]
