"""Payment providers behind one small interface (base.Provider); docs/donations.md says how to
add a local gateway."""

from django.conf import settings

from .base import Provider, ProviderError, Start  # noqa: F401


def registry() -> dict[str, Provider]:
    from .offline import OfflineProvider
    from .stripe_checkout import StripeProvider

    known = {provider.name: provider for provider in (OfflineProvider(), StripeProvider())}
    return {name: known[name] for name in settings.DONATIONS_PROVIDERS if name in known and known[name].available()}


def get(name: str) -> Provider | None:
    return registry().get(name)
