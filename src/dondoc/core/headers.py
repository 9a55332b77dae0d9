"""Security headers on every response: a Content-Security-Policy with no inline script, Permissions-Policy.

Scripts come from our static files only (templates hold none inline, tests/core/test_headers.py fails on one), so a
script element or event handler injected into a page never runs. Inline style attributes stay allowed (progress
bars set their width); HTMX is configured in base.html not to inject styles nor evaluate code. Framing is refused (also X-Frame-Options: DENY);
Referrer-Policy and X-Content-Type-Options come from Django's SecurityMiddleware.
"""

from __future__ import annotations

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",  # Bootstrap draws its icons from data: SVGs
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])
PERMISSIONS_POLICY = ", ".join(f"{feature}=()" for feature in (
    "accelerometer", "camera", "display-capture", "geolocation", "gyroscope", "magnetometer", "microphone", "payment",
    "usb"))


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
