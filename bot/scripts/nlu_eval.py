"""Evaluate the trained model's intents on a TSV file (`make nlu-eval DATA=...`).

Each line is `intent<TAB>text`; lines starting with # and blank lines are
ignored. A fallback prediction (nlu_fallback) counts as a miss: for the
household it is one. The last line printed is the JSON report.
"""
import argparse
import asyncio
import collections
import json
import logging
import os
import sys
from pathlib import Path
from typing import Dict, List, Tuple

BOT_DIR = Path(__file__).resolve().parent.parent
DEFAULT_MODEL = BOT_DIR / "models" / "rester-chez-soi.tar.gz"


def read_tsv(path: Path) -> List[Tuple[str, str]]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if "\t" not in line:
            raise SystemExit(f"{path}:{number}: expected intent<TAB>text")
        intent, text = line.split("\t", 1)
        rows.append((intent.strip(), text.strip()))
    return rows


def report(gold: List[str], predicted: List[str], top_confusions: int = 10) -> Dict:
    """Accuracy, per-intent precision/recall/F1 and macro-F1 over the gold intents."""
    intents = sorted(set(gold))
    per_intent = {}
    for intent in intents:
        tp = sum(1 for g, p in zip(gold, predicted) if g == intent and p == intent)
        fp = sum(1 for g, p in zip(gold, predicted) if g != intent and p == intent)
        fn = sum(1 for g, p in zip(gold, predicted) if g == intent and p != intent)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_intent[intent] = {"precision": round(precision, 4), "recall": round(recall, 4),
                              "f1": round(f1, 4), "support": tp + fn}
    confusions = collections.Counter((g, p) for g, p in zip(gold, predicted) if g != p)
    total = len(gold)
    return {
        "examples": total,
        "accuracy": round(sum(g == p for g, p in zip(gold, predicted)) / total, 4) if total else 0.0,
        "macro_f1": round(sum(v["f1"] for v in per_intent.values()) / len(per_intent), 4) if per_intent else 0.0,
        "fallback_rate": round(predicted.count("nlu_fallback") / total, 4) if total else 0.0,
        "per_intent": per_intent,
        "confusions": [[g, p, n] for (g, p), n in confusions.most_common(top_confusions)],
    }


async def predict(model: Path, texts: List[str]) -> List[str]:
    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    # Unconfigured, structlog prints every parse at debug level on stdout.
    configure_structlog(logging.WARNING)
    agent = Agent.load(str(model))
    predicted = []
    for text in texts:
        parsed = await agent.parse_message(text)
        predicted.append((parsed.get("intent") or {}).get("name") or "")
    return predicted


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("data", type=Path, help="TSV file: intent<TAB>text")
    parser.add_argument("--model", type=Path, default=DEFAULT_MODEL)
    parser.add_argument("--errors", action="store_true", help="print each misclassified line")
    args = parser.parse_args(argv)

    rows = read_tsv(args.data)
    if not rows:
        raise SystemExit(f"{args.data}: no examples")
    if not args.model.exists():
        raise SystemExit(f"{args.model}: no trained model (run bot/scripts/train.sh)")
    logging.disable(logging.WARNING)
    gold = [intent for intent, _ in rows]
    predicted = asyncio.run(predict(args.model, [text for _, text in rows]))
    if args.errors:
        for (intent, text), guess in zip(rows, predicted):
            if intent != guess:
                print(f"{intent}\t->\t{guess}\t{text}", file=sys.stderr)
    # Rasa's coloured warnings end with a colour reset but no newline on
    # stderr: close that line first, so that with both streams in one
    # terminal or pipe (2>&1) the report's line is still plain JSON.
    sys.stderr.write("\n")
    sys.stderr.flush()
    print(json.dumps(report(gold, predicted), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    sys.exit(main())
