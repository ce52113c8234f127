"""Photos of the signed paper counting minutes (interfaces §12): attach one; show one to whoever may see it."""

from typing import Any

from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotAuthenticated
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.errors import domain_error_response, refusals
from core.http import request_source
from elections.permissions import Action
from results.models import TallyPhoto
from results.permissions import TallyScope, access_tally, tally_scope
from results.tallies import errors
from results.tallies import photos as svc


class PhotoIn(serializers.Serializer):
    image = serializers.FileField(help_text="A JPEG or PNG image of at most 10 MB.")


class PhotoOut(serializers.Serializer):
    id = serializers.IntegerField()
    sha256 = serializers.CharField()
    url = serializers.CharField()


def photo_url(scope: TallyScope, photo: TallyPhoto) -> str:
    return reverse("api:tally-photo", args=[scope.election.slug, scope.unit.code, scope.contest.code, photo.pk])


def _refused(message: Any) -> Response:
    return Response({"detail": message, "errors": {svc.FIELD: [message]}}, status=400)


class TallyPhotosView(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(
        request={"multipart/form-data": PhotoIn},
        responses={201: PhotoOut, **refusals(400, 401, 403, 404, 409, 415)},
        summary="Attach a photo of the signed minutes",
        description="Multipart field `image`: a JPEG or PNG of at most 10 MB. The stored image is re-encoded as a "
        "JPEG with no EXIF or other metadata; `sha256` is of the stored bytes.",
    )
    def post(self, request: Request, election: str, unit: str, contest: str) -> Response:
        scope = access_tally(request.user, election, unit, contest, need=Action.ENTER)
        upload = request.FILES.get(svc.FIELD)
        if upload is None or len(request.FILES.getlist(svc.FIELD)) != 1:
            return _refused(_("Send one JPEG or PNG image in the field “image”."))
        try:
            photo = svc.photo_attach(
                scope=scope, upload=upload, size=upload.size, by=request.user, source=request_source(request, "api")
            )
        except errors.TallyError as exc:
            return domain_error_response(exc)
        return Response({"id": photo.pk, "sha256": photo.sha256, "url": photo_url(scope, photo)}, status=201)


class TallyPhotoView(APIView):
    """The stored image: to the tally's entrants and reviewers; to anyone once the unit's result is published."""

    permission_classes = [AllowAny]

    @extend_schema(
        responses={(200, "image/jpeg"): OpenApiResponse(OpenApiTypes.BINARY), **refusals(400, 401, 404)},
        summary="A photo of the signed minutes (JPEG)",
    )
    def get(self, request: Request, election: str, unit: str, contest: str, photo: int) -> HttpResponse:
        scope = tally_scope(election, unit, contest)
        public = svc.published(scope)
        if not public and not svc.may_see(request.user, scope):
            raise Http404("No such photo")
        found = svc.photo_of(scope, photo)
        if found is None:
            raise Http404("No such photo")
        etag = f'"{found.sha256}"'
        if request.headers.get("If-None-Match") == etag:
            response = HttpResponse(status=304)
        else:
            response = HttpResponse(svc.photo_bytes(found), content_type="image/jpeg")
        response["ETag"] = etag
        # Published: the same bytes for everyone for a while. Before: only this person's browser, checked every time.
        response["Cache-Control"] = "public, max-age=3600" if public else "private, no-cache"
        response["Content-Disposition"] = f'inline; filename="{found.sha256[:16]}.jpg"'
        return response

    @extend_schema(
        request=None,
        responses={204: None, **refusals(400, 401, 403, 404, 409)},
        summary="Remove a wrong photo (before submission)",
        description="Whoever may enter the tally takes a photo off its minutes while they are a draft or returned; "
        "`409` once they are submitted. The removal is audited; the photo is no longer shown.",
    )
    def delete(self, request: Request, election: str, unit: str, contest: str, photo: int) -> Response:
        if not request.user.is_authenticated:
            raise NotAuthenticated()
        scope = access_tally(request.user, election, unit, contest, need=Action.ENTER)
        try:
            svc.photo_remove(scope=scope, photo_id=photo, by=request.user, source=request_source(request, "api"))
        except errors.TallyError as exc:
            return domain_error_response(exc)
        return Response(status=204)
