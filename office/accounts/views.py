"""The second factor at login (django-otp TOTP): set up an authenticator app once, then give its code each time."""

import base64
from typing import Any

import segno
from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.http import request_source
from elections.audit import audit_log
from elections.audit_codes import AuditAction


class CodeForm(forms.Form):
    code = forms.RegexField(
        label=_("The 6-digit code your authenticator app shows now"),
        regex=r"^\s*\d{3}\s?\d{3}\s*$",
        error_messages={"invalid": _("Type the 6 digits the app shows, without other characters.")},
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "maxlength": "7", "autofocus": True}
        ),
    )


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return "/"
    return target


def _qr_svg(url: str) -> str:
    """The device's otpauth:// address as an SVG data URI, for the app's camera."""
    svg = segno.make(url, error="m").svg_inline(scale=4, dark="#111", light="#fff")
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


@login_required
def second_factor(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.is_verified():  # type: ignore[union-attr]
        return redirect(_next(request))
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    setting_up = device is None
    if setting_up:
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first() or TOTPDevice.objects.create(
            user=user, name=str(_("Authenticator app")), confirmed=False
        )
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = "".join(form.cleaned_data["code"].split())
        allowed, _why = device.verify_is_allowed()
        if not allowed:  # django-otp waits longer after each wrong code
            form.add_error("code", _("Too many wrong codes: wait a few seconds, then type the code the app shows."))
        elif device.verify_token(code):
            if setting_up:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                audit_log(
                    AuditAction.SECOND_FACTOR_SET_UP,
                    user=user,
                    object_type="user",
                    object_key=user.get_username(),
                    source=request_source(request),
                )
            otp_login(request, device)
            return redirect(_next(request))
        else:
            form.add_error("code", _("This code is not right, or has expired: type the one the app shows now."))
    context: dict[str, Any] = {"form": form, "setting_up": setting_up, "next": _next(request)}
    if setting_up:
        context["qr"] = _qr_svg(device.config_url)
        context["secret"] = " ".join(
            base64.b32encode(device.bin_key).decode().rstrip("=")[i : i + 4]
            for i in range(0, len(base64.b32encode(device.bin_key).decode().rstrip("=")), 4)
        )
    return render(request, "registration/second_factor.html", context)
