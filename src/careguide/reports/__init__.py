"""careguide.reports - lab reports: extract (text, PDF, image, FHIR) -> parse rows -> interpret.

    explanation = explain_report(data, filename="report.pdf", lang="zh")

Every step is also callable alone: ``extract`` (bytes -> printed lines), ``parse_document``
(lines -> rows), ``interpret`` (rows -> judged results and words), ``describe_trends``.
Bad input raises ``ReportError``; ``error.message(lang)`` is the sentence for the person.
"""

from careguide.reports.pipeline import explain_report, extract, read_report

__all__ = ["explain_report", "extract", "read_report"]
