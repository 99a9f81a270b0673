"""Report pipeline speed: PDF pages per second; seconds per photo for OCR alone and for the whole pipeline.

    python bench/reports.py [--pdfs 30] [--photos 5] [--json]

Inputs come from the generated corpus (``careguide.reports.corpus``). The photo figures are measured
in one run on the same images, after one warm-up call that loads the OCR models.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pdfs", type=int, default=30)
    parser.add_argument("--photos", type=int, default=5)
    parser.add_argument("--json", action="store_true", dest="as_json")
    args = parser.parse_args()

    from careguide.reports import explain_report
    from careguide.reports.corpus.generate import generate_corpus
    from careguide.reports.corpus.render import render_pdf, render_photo
    from careguide.reports.image import ocr_boxes, open_image

    corpus = generate_corpus(max(args.pdfs, args.photos))
    pdfs = [render_pdf(r) for r in corpus[: args.pdfs]]
    explain_report(pdfs[0], "warmup.pdf")
    started = time.perf_counter()
    pages = 0
    for number, data in enumerate(pdfs):
        explained = explain_report(data, f"{number}.pdf")
        pages += 1 if explained.results else 0
    pdf_seconds = time.perf_counter() - started

    photos = [render_photo(r) for r in corpus[: args.photos]]
    ocr_boxes(open_image(photos[0]))  # load the models once
    ocr_times: list[float] = []
    pipeline_times: list[float] = []
    for number, data in enumerate(photos):
        started = time.perf_counter()
        ocr_boxes(open_image(data))
        ocr_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        explain_report(data, f"{number}.jpg")
        pipeline_times.append(time.perf_counter() - started)
    ocr = statistics.mean(ocr_times)
    pipeline = statistics.mean(pipeline_times)
    figures = {
        "pdf_pages": pages,
        "pdf_pages_per_s": round(pages / pdf_seconds, 2),
        "photos": len(photos),
        "photo_ocr_s": round(ocr, 3),
        "photo_pipeline_s": round(pipeline, 3),
        "pipeline_over_ocr": round(pipeline / ocr, 3),
    }
    if not args.as_json:
        print(f"PDF: {figures['pdf_pages_per_s']} pages/s over {pages} pages")
        print(f"photo: OCR alone {ocr:.2f} s, whole pipeline {pipeline:.2f} s, ratio {pipeline / ocr:.3f}")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
