import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DEFAULTS, backoff } from "./lib.mjs";

const high = () => 0; // no jitter taken off: the ceiling itself
const low = () => 0.999999; // the most jitter taken off

describe("backoff", () => {
  it("doubles from the minimum up to the maximum", () => {
    const delays = [0, 1, 2, 3, 4, 5, 6, 10, 50].map((attempt) => backoff(attempt, {}, high));
    assert.deepEqual(delays, [500, 1000, 2000, 4000, 8000, 10000, 10000, 10000, 10000]);
  });

  it("takes off up to half of each delay by default, never more", () => {
    assert.equal(DEFAULTS.jitter, 0.5);
    assert.equal(backoff(0, {}, low), 250);
    assert.equal(backoff(3, {}, () => 0.5), 3000);
    for (let attempt = 0; attempt < 20; attempt++) {
      for (let i = 0; i < 50; i++) {
        const delay = backoff(attempt);
        const ceiling = Math.min(10000, 500 * 2 ** attempt);
        assert.ok(delay >= ceiling / 2 && delay <= ceiling, `attempt ${attempt}: ${delay} outside [${ceiling / 2}, ${ceiling}]`);
      }
    }
  });

  it("spreads clients that retry together", () => {
    const delays = new Set(Array.from({ length: 100 }, () => backoff(4)));
    assert.ok(delays.size > 50, `only ${delays.size} distinct delays`);
  });

  it("follows its bounds, factor and jitter", () => {
    const options = { minReconnectDelay: 100, maxReconnectDelay: 1000, backoffFactor: 3, jitter: 0 };
    assert.deepEqual([0, 1, 2, 3].map((a) => backoff(a, options, low)), [100, 300, 900, 1000]);
    assert.equal(backoff(2, { ...options, jitter: 1 }, () => 0.5), 450);
    assert.equal(backoff(5, { minReconnectDelay: 0, maxReconnectDelay: 0 }), 0);
  });

  it("never overflows into Infinity or NaN", () => {
    assert.equal(backoff(5000, {}, high), 10000);
    assert.equal(backoff(Number.MAX_SAFE_INTEGER, {}, high), 10000);
  });

  it("refuses bounds that make no sense, naming them", () => {
    assert.throws(() => backoff(0, { minReconnectDelay: -1 }), /minReconnectDelay must be 0 or more, not -1/);
    assert.throws(() => backoff(0, { minReconnectDelay: 500, maxReconnectDelay: 100 }),
      /maxReconnectDelay must be at least minReconnectDelay \(500\), not 100/);
    assert.throws(() => backoff(0, { backoffFactor: 0.5 }), /backoffFactor must be 1 or more/);
    assert.throws(() => backoff(0, { jitter: 2 }), /jitter must be between 0 and 1, not 2/);
    assert.throws(() => backoff(0, { minReconnectDelay: "soon" }), /minReconnectDelay/);
  });
});
