"""Build src/tmtool/data/langid_profiles.json.gz, the language profiles behind tmtool.langid.

The profiles come from the general word frequencies of the ``wordfreq`` package (data CC BY-SA
4.0, by Robyn Speer and contributors, built from Wikipedia, subtitles, news, books, web text and
social media), so they describe each language at large rather than any evaluation set.

For each language the file keeps:
- ``words``: the most frequent words, grouped by ``wordfreq`` Zipf value x 100 (log10 per billion
  words; each group is one space-separated string), after splitting each entry the way
  ``tmtool.langid`` splits text (letters only, lower case);
- ``grams``: character 1- to 3-gram log10 probabilities x 100, counted over the frequency-weighted
  vocabulary with a space on each side of every word.

Run once when the profiles should change (``pip install wordfreq`` first):
    python scripts/build_langid_profiles.py
The output is deterministic for a given wordfreq version.
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
from collections import defaultdict
from pathlib import Path

import regex

OUT = Path(__file__).resolve().parents[1] / "src" / "tmtool" / "data" / "langid_profiles.json.gz"
_WORD = regex.compile(r"\p{L}+")
# Words per language: the two languages tmtool is built for get the most; a few neighbours are
# there so a Spanish or German paragraph is not forced into French or English.
SIZES = {"fr": 10000, "en": 10000, "de": 1500, "es": 1500, "it": 1500, "pt": 1500, "nl": 1500}
GRAMS = {"fr": 4000, "en": 4000}
DEFAULT_GRAMS = 600
SOURCE_WORDS = 200_000
MAX_N = 3


def build_language(lang: str, n_words: int, n_grams: int) -> dict[str, object]:
    import wordfreq

    freqs: dict[str, float] = defaultdict(float)
    for entry, freq in wordfreq.get_frequency_dict(lang).items():
        for piece in _WORD.findall(entry.lower()):
            freqs[piece] += freq
    ranked = sorted(freqs.items(), key=lambda kv: (-kv[1], kv[0]))
    by_zipf: dict[int, list[str]] = defaultdict(list)
    for word, freq in ranked[:n_words]:
        by_zipf[round(100 * (math.log10(freq) + 9))].append(word)
    words = {str(z): " ".join(sorted(ws)) for z, ws in by_zipf.items()}

    counts: dict[str, float] = defaultdict(float)
    totals = [0.0] * (MAX_N + 1)
    for word, freq in ranked[:SOURCE_WORDS]:
        padded = f" {word} "
        for n in range(1, MAX_N + 1):
            for i in range(len(padded) - n + 1):
                gram = padded[i : i + n]
                if gram.strip():
                    counts[gram] += freq
                    totals[n] += freq
    grams: dict[str, int] = {}
    for n in range(1, MAX_N + 1):
        of_n = sorted(
            ((g, c) for g, c in counts.items() if len(g) == n), key=lambda kv: (-kv[1], kv[0])
        )
        for gram, count in of_n[:n_grams]:
            grams[gram] = round(100 * math.log10(count / totals[n]))
    return {"words": words, "grams": grams}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-o", "--output", type=Path, default=OUT)
    args = parser.parse_args()
    from importlib.metadata import version

    profiles = {
        "source": f"wordfreq {version('wordfreq')} word frequencies (data CC BY-SA 4.0)",
        "max_n": MAX_N,
        "languages": {
            lang: build_language(lang, size, GRAMS.get(lang, DEFAULT_GRAMS))
            for lang, size in SIZES.items()
        },
    }
    data = json.dumps(profiles, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    with open(args.output, "wb") as raw:
        with gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as gz:
            gz.write(data.encode("utf-8"))
    print(f"{args.output}: {args.output.stat().st_size} bytes")


if __name__ == "__main__":
    main()
