#!/usr/bin/env bash
# Corpus-scale measurement of `newspipe extract`: docs/s and peak memory of the whole process
# tree for -n 1, -n 2 and the Ray engine, at each corpus size given. Writes under a work dir.
#   bash eval/scripts/corpus_scale.sh ARTICLES.jsonl [WORKDIR] SIZE...
#   e.g. bash eval/scripts/corpus_scale.sh ../shared/data/polnear/polnear_train.jsonl /tmp/corpus 2500 10000
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
py=${PYTHON:-$root/.venv/bin/python}
articles=$(realpath "$1"); work=$2; shift 2
mkdir -p "$work" && cd "$work"
for n in "$@"; do
  "$py" "$here/make_corpus.py" "$articles" "$n" "corpus_$n.jsonl"
  for mode in n1 n2 ray; do
    case $mode in
      n1) args=(-n 1) ;;
      n2) args=(-n 2) ;;
      ray) args=(--engine ray -n 2 --output-format jsonl) ;;
    esac
    out="out_${n}_${mode}"; rm -rf "$out" "$out.jsonl"
    [ "$mode" = ray ] || out="$out.jsonl"
    echo "== docs=$n engine=$mode load=$(cut -d' ' -f1-3 /proc/loadavg)"
    "$py" "$here/treemem.py" "$py" -m newspipe extract "corpus_$n.jsonl" -o "$out" --no-progress "${args[@]}"
    if [ -d "$out" ]; then echo "records: $(cat "$out"/* | wc -l)"; else echo "records: $(wc -l < "$out")"; fi
  done
done
