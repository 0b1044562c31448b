/**
 * Centrifugo's server API over HTTP ({@code POST /api/<method>}, JSON, {@code X-API-Key}), so any
 * backend can publish with {@code curl}; a thin layer over {@link io.switchboard.channels.ChannelsApi}.
 */
package io.switchboard.channels.api;
