/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.channels.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.channels.ChannelsException;
import io.switchboard.channels.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Centrifugo's {@code batch}: {@code {"commands":[{"publish":{...}},{"presence":{...}}]}} runs each
 * command in order and answers {@code {"replies":[{"publish":{...}},{"error":{...}}]}}, one reply per
 * command, a failed one not stopping the rest. {@code parallel} is accepted and ignored (the
 * commands always run one after another). At most {@link #MAX_COMMANDS} commands.
 */
final class Batch {

    /** The method's name. */
    static final String NAME = "batch";

    /** Most commands in one batch; more is a bad request. */
    static final int MAX_COMMANDS = 1000;

    private static final Logger log = LoggerFactory.getLogger(Batch.class);

    private final Methods methods;

    Batch(Methods methods) {
        this.methods = methods;
    }

    /** The body of a batch call. */
    record Request(List<JsonNode> commands, boolean parallel) {}

    /** The replies to the commands of {@code body}; fails with {@link ApiJson.Malformed} or a bad request. */
    Map<String, List<Map<String, Object>>> call(byte[] body) {
        Request request = ApiJson.read(body, Request.class);
        List<JsonNode> commands = request.commands() == null ? List.of() : request.commands();
        if (commands.size() > MAX_COMMANDS) {
            throw new ApiJson.Malformed("at most " + MAX_COMMANDS + " commands, not " + commands.size());
        }
        List<Map<String, Object>> replies = new ArrayList<>(commands.size());
        int refused = 0;
        for (JsonNode command : commands) {
            Map<String, Object> reply = reply(command);
            replies.add(reply);
            refused += reply.containsKey("error") ? 1 : 0;
        }
        if (refused > 0) {
            log.info("server API: batch of {} commands: {} answered with an error", commands.size(), refused);
        }
        return Map.of("replies", replies);
    }

    private Map<String, Object> reply(JsonNode command) {
        if (command == null || !command.isObject() || command.size() != 1) {
            return error(new ChannelsException(
                    ErrorCode.BAD_REQUEST, "bad request: a command is an object with one method"));
        }
        String name = command.fieldNames().next();
        Methods.Method method = methods.named(name);
        if (method == null) {
            return error(new ChannelsException(ErrorCode.METHOD_NOT_FOUND));
        }
        try {
            return Map.of(name, method.call(ApiJson.write(command.get(name))));
        } catch (ApiJson.Malformed e) {
            return error(new ChannelsException(ErrorCode.BAD_REQUEST, "bad request: " + e.getMessage()));
        } catch (ChannelsException e) {
            return error(e);
        } catch (Methods.Failure e) {
            log.warn(
                    "server API: batch command {} failed: {}",
                    ServerApi.printable(name),
                    ServerApi.printable(e.getMessage()));
            return error(e.asRefusal());
        }
    }

    private static Map<String, Object> error(ChannelsException e) {
        return Map.of("error", new Replies.Error(e.code().code(), e.getMessage()));
    }
}
