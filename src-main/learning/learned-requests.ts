// The contract's learned-tag requests, answered from the store and the learning service: the
// panel, a tag's examples, switching a tag off, "accept all above X", "more like this", refit now.
import type { LearnedTagsView, ParsedArg, RequestResult } from '../../src-preload/contract';
import type { Db, ModelRegistry } from '../library/store';
import { trackRows } from '../library/track-query';
import { learnedTagExamples, learnedTagRows, suggestedTracks } from './learned-queries';
import type { LearningService } from './learning-service';

/** Thrown for a learned-tag request that cannot be done; `code` is the contract's error code. */
export class LearnedTagError extends Error {
  override name = 'LearnedTagError';
  constructor(
    readonly code: 'invalid-argument' | 'not-found' | 'unavailable',
    message: string,
  ) {
    super(message);
  }
}

/** Answers learned-tag requests; labels go through the library's review writer (`label`). */
export class LearnedTagRequests {
  constructor(
    private readonly db: Db,
    private readonly models: ModelRegistry,
    private readonly learning: LearningService | null,
    /** Accepts a tag on tracks as one undoable step (the library's label request). */
    private readonly accept: (trackIds: number[], tag: string) => RequestResult<'label'>,
  ) {}

  /** The panel: every learned tag and the learning status. */
  view(): LearnedTagsView {
    return {
      status: this.learning?.status() ?? { state: 'idle', currentTag: null, space: null, embeddings: null, lastRefit: null, problem: 'learning is not running here' },
      tags: learnedTagRows(this.db, this.models.allTagNames()),
    };
  }

  /** The tracks a tag was fitted on. */
  examples(arg: ParsedArg<'learnedTagExamples'>): RequestResult<'learnedTagExamples'> {
    if (!this.db.prepare('SELECT 1 FROM learned_tags WHERE tag = ?').get(arg.tag)) throw new LearnedTagError('not-found', `no learned tag "${arg.tag}"`);
    return { tag: arg.tag, ...learnedTagExamples(this.db, arg.tag, arg.limit) };
  }

  /** Switches a tag off (its suggestions go at the next refit, started now) or on again. */
  async setEnabled(arg: ParsedArg<'setLearnedTagEnabled'>): Promise<LearnedTagsView> {
    const changed = this.db.prepare('UPDATE learned_tags SET enabled = ? WHERE tag = ?').run(arg.enabled ? 1 : 0, arg.tag).changes;
    if (changed === 0) throw new LearnedTagError('not-found', `no learned tag "${arg.tag}"`);
    await this.learning?.refitNow();
    return this.view();
  }

  /** "Accept all above X": how many tracks it would accept, and with apply, accepts them as one step. */
  acceptAbove(arg: ParsedArg<'acceptLearned'>): RequestResult<'acceptLearned'> {
    const ids = suggestedTracks(this.db, arg.tag, arg.minScore);
    if (!arg.apply || ids.length === 0) return { count: ids.length, outcome: null };
    return { count: ids.length, outcome: this.accept(ids, arg.tag) };
  }

  /** "More like this" for a track of the library. */
  async similar(arg: ParsedArg<'similarTracks'>): Promise<RequestResult<'similarTracks'>> {
    if (!this.learning) throw new LearnedTagError('unavailable', 'similar tracks are not available here');
    const { space, neighbours } = await this.learning.similar({ trackId: arg.trackId }, arg.limit).catch((error: Error) => {
      throw new LearnedTagError('unavailable', error.message);
    });
    const rows = new Map(trackRows(this.db, neighbours.map((n) => n.trackId)).map((r) => [r.id, r]));
    return {
      space,
      results: neighbours.flatMap((n) => {
        const row = rows.get(n.trackId);
        return row && row.path !== null ? [{ row, score: n.score }] : [];
      }),
    };
  }

  /** Refits now and answers with the panel once done. */
  async learnNow(): Promise<LearnedTagsView> {
    if (!this.learning) throw new LearnedTagError('unavailable', 'learning is not running here');
    await this.learning.refitNow();
    return this.view();
  }
}
