// The k best of many scores without sorting them all: both retrievers score every candidate chunk.
export interface Scored {
  doc: number;
  score: number;
}

/** Keeps the k best offers in order: higher score first, then the lower doc, whatever order they come in. */
export class TopK {
  readonly items: Scored[] = [];

  constructor(private readonly k: number) {}

  offer(doc: number, score: number): void {
    const items = this.items;
    if (items.length >= this.k && !ahead(doc, score, items[items.length - 1]!)) return;
    let at = items.length;
    while (at > 0 && ahead(doc, score, items[at - 1]!)) at--;
    items.splice(at, 0, { doc, score });
    if (items.length > this.k) items.pop();
  }
}

function ahead(doc: number, score: number, other: Scored): boolean {
  return score > other.score || (score === other.score && doc < other.doc);
}
