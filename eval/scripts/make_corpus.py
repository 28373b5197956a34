"""Paragraph-sized documents from news articles, for corpus-scale runs.

    python eval/scripts/make_corpus.py ARTICLES.jsonl N OUT.jsonl

Each article's paragraphs of at least 80 characters become documents with id ``ARTICLE#pK``;
when N exceeds the paragraphs, the corpus repeats with an ``rN`` suffix on the ids.
"""

import json
import sys


def main(source: str, count: int, output: str) -> int:
    written = 0
    with open(output, "w", encoding="utf-8") as sink:
        while written < count:
            suffix = f"r{written}" if written else ""
            with open(source, encoding="utf-8") as articles:
                for line in articles:
                    article = json.loads(line)
                    paragraphs = [p.strip() for p in article["text"].split("\n")]
                    for k, text in enumerate(p for p in paragraphs if len(p) >= 80):
                        doc = {"id": f"{article['id']}#p{k}{suffix}", "text": text}
                        sink.write(json.dumps(doc) + "\n")
                        written += 1
                        if written == count:
                            return written
    return written


if __name__ == "__main__":
    n = main(sys.argv[1], int(sys.argv[2]), sys.argv[3])
    print(n, "documents ->", sys.argv[3])
