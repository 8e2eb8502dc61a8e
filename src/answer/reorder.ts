// Re-ordering the head of a ranking by a second opinion (the second look, or ANSWER_MODEL's cross-encoder) without
// changing what the ranking decides: each rank keeps the score and calibrated confidence it had, so whether to
// answer, and how many supporting quotes reach the bar, stay the first look's; the second opinion only chooses which
// sentences fill those ranks.

interface Ranked {
  score: number;
  confidence: number;
}

/** Re-orders `ranked`'s first `scores.length` entries in place by `scores` (best first); ties and non-numbers keep their order. */
export function reorderHead<T extends Ranked>(ranked: T[], scores: number[]): void {
  const head = ranked.slice(0, scores.length);
  if (head.length < 2) return;
  const key = (i: number) => (Number.isFinite(scores[i]) ? scores[i]! : Number.NEGATIVE_INFINITY);
  const order = head.map((_, i) => i).sort((a, b) => (key(a) === key(b) ? a - b : key(b) > key(a) ? 1 : -1));
  order.forEach((from, to) => {
    ranked[to] = { ...head[from]!, score: head[to]!.score, confidence: head[to]!.confidence };
  });
}
