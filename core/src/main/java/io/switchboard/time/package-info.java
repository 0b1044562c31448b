/**
 * Time as a dependency: the {@link io.switchboard.time.Ticker} every timeout and rate reads, so
 * that tests drive it by hand. Depends on nothing else in Switchboard.
 */
package io.switchboard.time;
