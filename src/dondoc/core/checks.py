"""`dondoc check --deploy`: the published demo secret key signs nothing in a real installation."""

from django.conf import settings
from django.core.checks import Error, register

from dondoc.config import DEMO_SECRET_KEY


@register(deploy=True)
def secret_key(app_configs, **kwargs):
    if settings.SECRET_KEY == DEMO_SECRET_KEY:
        return [Error("DONDOC_SECRET_KEY is the demo key published with dondoc: anyone could forge sessions and "
                      "password-reset links. Set a long random one, e.g. "
                      "`python3 -c 'import secrets; print(secrets.token_urlsafe(50))'`.", id="dondoc.E001")]
    return []
