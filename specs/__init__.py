"""Service certification specs: the model, the bundled files and the loader."""

from specs.loader import SpecCatalog, SpecError, load_catalog, load_spec_file
from specs.model import Spec

__all__ = ["Spec", "SpecCatalog", "SpecError", "load_catalog", "load_spec_file"]
