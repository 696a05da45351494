"""verify's model layer: the registry of NLI models, their loading, the bundled model."""

from .registry import BUNDLED_MODEL, DEFAULT_HUB_MODEL, ModelRegistry, ModelSpec

__all__ = ["BUNDLED_MODEL", "DEFAULT_HUB_MODEL", "ModelRegistry", "ModelSpec"]
