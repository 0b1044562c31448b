// emitter.js - listeners by event name, for the reconnecting socket and the chat client (switchboard.js).

/** Listeners by event name: `on` (returns a function that removes the listener), `once`, `off`. */
export class Emitter {
  #listeners = new Map();

  on(type, listener) {
    if (!this.#listeners.has(type)) this.#listeners.set(type, new Set());
    this.#listeners.get(type).add(listener);
    return () => this.off(type, listener);
  }

  once(type, listener) {
    const off = this.on(type, (...args) => { off(); listener(...args); });
    return off;
  }

  off(type, listener) {
    this.#listeners.get(type)?.delete(listener);
  }

  /** Whether anyone listens to `type`. */
  listens(type) {
    return (this.#listeners.get(type)?.size ?? 0) > 0;
  }

  emit(type, ...args) {
    for (const listener of [...(this.#listeners.get(type) ?? [])]) {
      try {
        listener(...args);
      } catch (error) {
        // A listener's bug must not break the connection's bookkeeping: report it and go on.
        (globalThis.reportError ?? console.error)(error);
      }
    }
  }
}
