// The engine as the Discord layer sees it: ask, list sources, report its size, pick up a new index.
// The bot never reaches into the loaded index; what it needs from the engine passes through here.
import { SUPPORTING_LOGIT_GAP } from './answer/quotes.js';
import { ask, type AnswerEngine } from './answer/ask.js';
import type { Answer } from './answer/types.js';
import type { CoreConfig } from './config.js';
import type { Embedder } from './embed/embedder.js';
import { addArticles, fetchOptionsOf, removeArticle, type AddInput, type AddResult, type RemoveResult } from './adding/add.js';
import { expectationOf, openEngine } from './app.js';
import type { RetrievalMode } from './retrieve/search.js';
import { currentVersionDir, loadIndex } from './store/files.js';
import { watchIndex, type IndexWatcher } from './store/reload.js';
import type { LoadedIndex } from './store/types.js';

export interface SourceListing {
  title: string;
  publisher: string | null;
  date: string | null;
  url: string | null;
  file: string;
}

export interface DeskStats {
  articles: number;
  chunks: number;
  model: string;
  /** The index version folder in use. */
  version: string;
}

export interface AskOptions {
  mode?: RetrievalMode;
  /** More quotes than the usual ANSWER_MAX_EXCERPTS (the "More" button). */
  maxExcerpts?: number;
}

export class StoryDesk {
  private constructor(
    private readonly engine: AnswerEngine & { setIndex(index: LoadedIndex): void },
    private readonly indexDir: string,
    private readonly config: CoreConfig,
  ) {}

  static async open(config: CoreConfig, embedder?: Embedder): Promise<StoryDesk> {
    return new StoryDesk(await openEngine(config, embedder), config.indexDir, config);
  }

  /**
   * Adds articles (links, or files in hand) as `npm run add` does, and answers from them at once.
   * `trustedOrigins`: where attachments come from (Discord's CDN), reached without the private-address check.
   */
  async add(inputs: AddInput[], addedBy: string, trustedOrigins: string[] = []): Promise<AddResult> {
    const result = await addArticles(inputs, this.config, this.engine.embedder, { fetch: fetchOptionsOf(this.config, trustedOrigins), addedBy });
    if (result.summary) await this.reload();
    return result;
  }

  /** Removes an added article (by title or file) and stops answering from it. */
  async remove(query: string): Promise<RemoveResult> {
    const result = await removeArticle(query, this.config, this.engine.embedder);
    if (result.summary) await this.reload();
    return result;
  }

  get modelId(): string {
    return this.engine.embedder.modelId;
  }

  /** The model's settings: the report's worker loads the same model to group questions as the bot reads them. */
  get embeddingConfig(): CoreConfig['embedding'] {
    return this.config.embedding;
  }

  /** The embedder the index was built with: the report groups questions with the same model. */
  get embedder(): Embedder {
    return this.engine.embedder;
  }

  ask(question: string, options: AskOptions = {}): Promise<Answer> {
    // A reader who asks for More wants what else the articles say around the answer: further quotes may be less
    // close to the first (e⁴ ≈ 55 times less likely to answer, not e²); whether to answer at all is unchanged.
    const engine = options.maxExcerpts
      ? { ...this.engine, config: { ...this.engine.config, maxExcerpts: options.maxExcerpts, supportingGap: 2 * SUPPORTING_LOGIT_GAP } }
      : this.engine;
    return ask(engine, question, options.mode);
  }

  get maxExcerpts(): number {
    return this.engine.config.maxExcerpts;
  }

  /** Every indexed article, in index order. */
  sources(): SourceListing[] {
    return this.engine.index().articles.map((a) => ({ title: a.meta.title, publisher: a.meta.publisher, date: a.meta.date, url: a.meta.url, file: a.file }));
  }

  stats(): DeskStats {
    const index = this.engine.index();
    return { articles: index.articles.length, chunks: index.chunks.length, model: this.engine.embedder.modelId, version: index.dir };
  }

  /**
   * Watches the index folder and switches to each new version once fully loaded (`npm run index`, `/add`).
   */
  watch(onLoaded: (stats: DeskStats) => void, onError: (error: Error) => void, pollMs?: number): IndexWatcher {
    this.watcher?.close();
    this.watcher = watchIndex(
      this.indexDir,
      this.engine.index,
      (index) => {
        this.engine.setIndex(index);
        onLoaded(this.stats());
      },
      onError,
      pollMs,
      expectationOf(this.engine.embedder),
    );
    return this.watcher;
  }

  private watcher: IndexWatcher | null = null;

  /** Picks up a new index version now (after an editor added an article), if one was published. */
  async reload(): Promise<DeskStats> {
    const dir = await currentVersionDir(this.indexDir);
    if (dir && dir !== this.engine.index().dir) this.engine.setIndex(await loadIndex(this.indexDir, expectationOf(this.engine.embedder)));
    return this.stats();
  }
}
