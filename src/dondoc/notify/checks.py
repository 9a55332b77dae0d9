"""`dondoc check --deploy`: links in e-mails and calendar feeds must point at the public HTTPS address."""

from django.conf import settings
from django.core.checks import Warning, register


@register(deploy=True)
def base_url(app_configs, **kwargs):
    url = settings.DONDOC_BASE_URL
    if not url.startswith("https://"):
        return [Warning(f"DONDOC_BASE_URL is {url!r}: the links in reminder e-mails and calendar feeds need the "
                        "public https:// address of this installation.", id="dondoc.W001")]
    return []
