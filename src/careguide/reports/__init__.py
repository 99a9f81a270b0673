"""careguide.reports - lab reports: extract (text, PDF, image, FHIR) -> parse rows -> interpret.

    explanation = explain_report(data, filename="report.pdf", lang="zh", earlier=[...])
    explanation.public_dict()                         # the JSON the CLI and API return
    to_fhir_observations(explanation, "Patient/42")   # what the record stores

Every step is also callable alone: ``extract`` (bytes -> printed lines), ``parse_document``
(lines -> rows), ``interpret`` (rows -> judged results and words), ``describe_trends``.
Bad input raises ``ReportError``; ``error.message(lang)`` is the sentence for the person.
"""

from careguide.reports.errors import ReportError
from careguide.reports.export import to_fhir_observations
from careguide.reports.models import LabResult, ReportExplanation
from careguide.reports.pipeline import explain_report, extract, read_report
from careguide.reports.trend import EarlierResult, describe_trends

__all__ = [
    "EarlierResult",
    "LabResult",
    "ReportError",
    "ReportExplanation",
    "describe_trends",
    "explain_report",
    "extract",
    "read_report",
    "to_fhir_observations",
]
