"""System checks: single sign-on half configured would otherwise be silently off."""

from django.conf import settings
from django.core.checks import Error, register

OIDC_NEEDED = (
    "OIDC_RP_CLIENT_ID",
    "OIDC_RP_CLIENT_SECRET",
    "OIDC_OP_AUTHORIZATION_ENDPOINT",
    "OIDC_OP_TOKEN_ENDPOINT",
    "OIDC_OP_USER_ENDPOINT",
    "OIDC_OP_JWKS_ENDPOINT",
)


@register()
def oidc_settings(app_configs, **kwargs) -> list[Error]:
    given = [name for name in OIDC_NEEDED if getattr(settings, name, "")]
    missing = [name for name in OIDC_NEEDED if name not in given]
    if not given or not missing:
        return []
    return [
        Error(
            f"Single sign-on is half configured: {', '.join(given)} set but {', '.join(missing)} missing.",
            hint="Set them all to turn single sign-on on, or none to leave it off (docs/settings.md).",
            id="org.E001",
        )
    ]
