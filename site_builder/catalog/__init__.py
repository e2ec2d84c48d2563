"""The content model: validated records read from `content/`, shared by the site and the forms."""

from site_builder.catalog.clock import today
from site_builder.catalog.loader import ContentError, load_catalogue
from site_builder.catalog.model import (
    Base,
    Catalogue,
    Course,
    Cutoff,
    JobFair,
    Origin,
    Page,
    Problem,
    Target,
    Unit,
)

__all__ = [
    "Base",
    "Catalogue",
    "ContentError",
    "Course",
    "Cutoff",
    "JobFair",
    "Origin",
    "Page",
    "Problem",
    "Target",
    "Unit",
    "load_catalogue",
    "today",
]
