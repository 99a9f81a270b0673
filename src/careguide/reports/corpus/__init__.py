"""A deterministic synthetic corpus of lab reports with gold rows, for ``careguide eval reports``.

There are no public lab-report PDFs or photos with a clear licence, so the team generates them:
``generate_corpus`` writes report specifications (printed strings + gold values), and the renderers
turn each into plain text, a PDF (reportlab, embedded CJK TrueType font) and a photo-like image.
Nothing here is imported by the pipeline itself.
"""
