// resume.js - where a chat client is in a room's message stream: the position a reconnect resumes
// from, and which messages are new or were missed. Part of switchboard.js, which re-exports it.

/** Ids remembered above an epoch's floor while a gap stays open; beyond, the oldest gap is given up. */
const PENDING_IDS = 100_000;
/** Epochs remembered besides the pinned one: a cluster goes from its Redis epoch to outage epochs and back. */
const SEEN_EPOCHS = 4;

/**
 * Where a chat client is in a room's message stream, and the rules for resuming it: which
 * position to ask for, which messages are new, and which were missed. A message is named by its
 * `epoch` (the history's lifetime: a server restart, Redis losing its data, or one node's outage)
 * and its `id`, which counts from 1 within the epoch without holes. Per epoch it keeps the *floor*:
 * the highest id such that every id up to it was delivered (or is known to be kept no more). A
 * resume asks from the floor, so a hole is asked for again, never skipped. A message is new unless
 * its (epoch, id) was delivered before: nothing is dropped for arriving out of order, and nothing
 * is delivered twice, even when a resume goes back to an epoch seen earlier.
 *
 * The resume epoch is the room's stored epoch, as the last welcome (or a history page) named it:
 * an epoch seen only on live messages may be one node's outage, which no server keeps, so it
 * becomes the resume epoch only once a history page from it confirms it is stored. That epoch is
 * never forgotten; the others are, oldest first.
 */
export class Resume {
  /** The epoch of the newest message or welcome; null before the first welcome. */
  epoch = null;
  #stored = null;
  #welcomed = false;
  /** epoch -> { floor, high, ids }: the floor, the highest id delivered, the ids delivered above the floor. */
  #seen = new Map();

  /** The highest message id delivered in the current epoch. */
  get lastId() { return this.#seen.get(this.epoch)?.high ?? 0; }

  /** The epoch a resume asks with: the room's stored epoch as last confirmed. */
  get storedEpoch() { return this.#stored; }

  /** The floor of `epoch` (default the resume epoch): every id up to it was delivered. */
  floor(epoch = this.#stored) { return this.#seen.get(epoch)?.floor ?? 0; }

  /** Whether every id up to the highest delivered in `epoch` was delivered (or is kept no more). */
  caughtUp(epoch) {
    const seen = this.#seen.get(epoch);
    return !seen || seen.floor >= seen.high;
  }

  /** Query parameters for the next connection: none before the first welcome, then since and epoch. */
  params() {
    if (!this.#welcomed) return {};
    const since = String(this.floor());
    return this.#stored === null ? { since } : { since, epoch: this.#stored };
  }

  /**
   * Takes a welcome; returns its history messages not delivered before, in order, whether this
   * was a resume, whether the epoch changed, whether messages may have been missed (`recovered`
   * false on a resume, or a new epoch), and `fetch` {epoch, since}: the history page to ask for
   * when the welcome left older kept messages out (`more`), else null. A resume cut short by the
   * welcome's size is not `recovered` either, but whether anything is missing only the first page
   * tells (its `complete`): then `missed` is false and `unsure` true.
   */
  welcome(welcome) {
    const resuming = this.#welcomed;
    const epoch = welcome.epoch ?? null;
    const epochChanged = resuming && epoch !== this.epoch;
    // The server read the position in the epoch it was asked with, or from 0 in another one.
    const since = resuming && epoch === this.#stored ? this.floor(epoch) : 0;
    this.epoch = this.#stored = epoch;
    this.#welcomed = true;
    const seen = this.#epochSeen(epoch);
    const history = inIdOrder(welcome.history);
    const messages = history.filter((message) => this.accept(message));
    // An empty welcome that is not recovered is a server that could not read its history: no news.
    const known = history.length > 0 || welcome.recovered !== false;
    if (!welcome.more && known) this.#cover(seen, since, history.at(-1)?.id, true);
    const unsure = resuming && !epochChanged && welcome.recovered === false && welcome.more === true;
    return {
      messages, resumed: resuming, epochChanged, missed: resuming && (epochChanged || welcome.recovered === false) && !unsure,
      unsure, fetch: welcome.more ? { epoch, since } : null,
    };
  }

  /**
   * Takes a live room message: `fresh` when it was not delivered before (and then remembers it),
   * `epochChanged` when it comes from another epoch than the messages before it, `gap` [from, to]
   * when ids were skipped, and `fetch` {epoch, since}: the history page to ask for, after a gap or
   * a new epoch, else null.
   */
  message(message) {
    const numbered = typeof message?.id === "number";
    const epoch = message?.epoch ?? this.epoch; // a server older than epochs on live messages
    const epochChanged = this.#welcomed && numbered && epoch !== this.epoch;
    if (epochChanged) this.epoch = epoch;
    if (!numbered) return { fresh: false, epochChanged, gap: null, fetch: null };
    const seen = this.#epochSeen(epoch);
    const reached = Math.max(seen.floor, seen.high);
    const fresh = this.accept(message);
    const gap = fresh && this.#welcomed && message.id > reached + 1 ? [reached + 1, message.id - 1] : null;
    return { fresh, epochChanged, gap, fetch: gap || epochChanged ? { epoch, since: seen.floor } : null };
  }

  /**
   * Takes a history page that answered `asked` {epoch, since}: returns its messages not delivered
   * before, in id order, whether it showed a new epoch, and `fetch` {epoch, since} for the next
   * page, or null when paging is over. A page names the room's stored epoch, which becomes the
   * resume epoch; one from another epoch than asked answered from 0 (the asked one was a node's
   * outage, or the history began again).
   */
  page(page, asked) {
    const epoch = page?.epoch;
    if (typeof epoch !== "string" || epoch === "") return { messages: [], epochChanged: false, fetch: null };
    const since = epoch === asked.epoch ? asked.since : 0;
    const epochChanged = epoch !== asked.epoch && epoch !== this.epoch && !this.#seen.has(epoch);
    if (epochChanged) this.epoch = epoch;
    this.#stored = epoch;
    const seen = this.#epochSeen(epoch);
    const history = inIdOrder(page.messages);
    const messages = history.filter((message) => this.accept({ ...message, epoch }));
    const last = history.at(-1)?.id;
    const more = page.more === true && last !== undefined; // an empty page cannot be paged on
    this.#cover(seen, since, last, !more);
    return { messages, epochChanged, fetch: more ? { epoch, since: last } : null };
  }

  /** Whether a room message is new (and then remembers it): its (epoch, id) was not delivered before. */
  accept(message) {
    if (typeof message?.id !== "number") return false;
    const seen = this.#epochSeen(message.epoch ?? this.epoch);
    const id = message.id;
    if (id <= seen.floor || seen.ids.has(id)) return false;
    seen.ids.add(id);
    seen.high = Math.max(seen.high, id);
    if (seen.ids.size > PENDING_IDS) seen.floor = lowest(seen.ids) - 1; // give the oldest hole up
    raise(seen, seen.floor);
    return true;
  }

  /**
   * The server answered "the kept messages after `since`" with ones up to `last`: every id up to
   * it is now delivered or kept no more; with `complete`, every id delivered so far too.
   */
  #cover(seen, since, last, complete) {
    if (seen.floor < since) return; // the ids between were not asked about
    raise(seen, Math.max(last ?? 0, complete ? seen.high : 0));
  }

  #epochSeen(epoch) {
    let seen = this.#seen.get(epoch);
    if (!seen) {
      seen = { floor: 0, high: 0, ids: new Set() };
      this.#seen.set(epoch, seen);
      for (const old of this.#seen.keys()) { // oldest first; the stored epoch is never forgotten
        if (this.#seen.size <= SEEN_EPOCHS) break;
        if (old !== epoch && old !== this.#stored && old !== this.epoch) this.#seen.delete(old);
      }
    }
    return seen;
  }
}

/** Raises an epoch's floor to at least `to`, then over every id delivered right above it. */
function raise(seen, to) {
  if (to > seen.floor) {
    seen.floor = to;
    for (const id of seen.ids) if (id <= to) seen.ids.delete(id);
  }
  while (seen.ids.delete(seen.floor + 1)) seen.floor++;
}

function lowest(ids) {
  let low = Infinity;
  for (const id of ids) low = Math.min(low, id);
  return low;
}

/** Room messages with numeric ids, by id (a copy). */
function inIdOrder(messages) {
  return (Array.isArray(messages) ? messages : []).filter((m) => typeof m?.id === "number").sort((a, b) => a.id - b.id);
}
