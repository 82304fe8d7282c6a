"""CSV exports through a declarative mapping (issue 11): a YAML file, checked by the JSON
schema `schema.json`, that turns a flat call log into the landing contract's contacts.

`spec` loads and checks a mapping, `clock` handles local times and durations, `apply` maps a
file into canonical text columns (what the guard then validates like landing contacts), and
`report` renders `ccmetrics map --check`. docs/sources/csv.md is the reference.
"""

from ccmetrics.mapping.apply import FileProblem, Mapped, Problem, apply_mapping
from ccmetrics.mapping.spec import Mapping, MappingError, load_mapping

MAPPING_FILE = "mapping.yml"
"""The mapping of a landing folder `<landing>/csv/<name>/`."""

__all__ = [
    "MAPPING_FILE",
    "FileProblem",
    "Mapped",
    "Mapping",
    "MappingError",
    "Problem",
    "apply_mapping",
    "load_mapping",
]
