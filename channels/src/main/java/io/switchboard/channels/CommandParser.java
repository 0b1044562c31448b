/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.channels;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.json.Json;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Reads a client's text frame: JSON commands, one per line. Never throws: whatever cannot be read
 * becomes a {@link Command.Malformed}, and reading stops there (the connection is closed anyway).
 */
final class CommandParser {

    /** Most commands in one frame; more is a bad request, not a reason to queue work without bound. */
    static final int MAX_COMMANDS_PER_FRAME = 100;

    private static final long MAX_ID = 0xFFFF_FFFFL; // a uint32 in the protocol

    private CommandParser() {}

    /** The commands of {@code frame}, in order; a malformed one ends the list. */
    static List<Command> parse(String frame) {
        List<Command> commands = new ArrayList<>(1);
        int start = 0;
        while (start <= frame.length()) {
            int end = frame.indexOf('\n', start);
            if (end < 0) {
                end = frame.length();
            }
            String line = frame.substring(start, end).strip();
            start = end + 1;
            if (line.isEmpty()) {
                continue;
            }
            Command command = commands.size() == MAX_COMMANDS_PER_FRAME
                    ? new Command.Malformed("more than " + MAX_COMMANDS_PER_FRAME + " commands in a frame")
                    : parseLine(line);
            commands.add(command);
            if (command instanceof Command.Malformed) {
                break;
            }
        }
        if (commands.isEmpty()) {
            commands.add(new Command.Malformed("an empty frame"));
        }
        return commands;
    }

    /** One command. */
    static Command parseLine(String line) {
        JsonNode node;
        try {
            node = Json.mapper().readTree(line);
        } catch (JsonProcessingException | RuntimeException e) {
            return new Command.Malformed("not JSON");
        }
        if (!(node instanceof ObjectNode object)) {
            return new Command.Malformed("a command is a JSON object");
        }
        if (object.isEmpty()) {
            return new Command.Pong();
        }
        return call(object);
    }

    private static Command call(ObjectNode object) {
        JsonNode idNode = object.get("id");
        long id = 0;
        if (idNode != null && !idNode.isNull()) {
            if (!idNode.canConvertToLong()
                    || !idNode.isIntegralNumber()
                    || idNode.asLong() < 0
                    || idNode.asLong() > MAX_ID) {
                return new Command.Malformed("an id is a whole number from 0 to 2^32-1");
            }
            id = idNode.asLong();
        }
        String method = null;
        ObjectNode body = null;
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!Command.METHODS.contains(name)) {
                continue;
            }
            if (method != null) {
                return new Command.Malformed("a command calls one method");
            }
            JsonNode value = object.get(name);
            if (value.isNull()) {
                value = object.objectNode();
            }
            if (!(value instanceof ObjectNode request)) {
                return new Command.Malformed("a method's request is a JSON object");
            }
            method = name;
            body = request;
        }
        if (method == null) {
            return id == 0 ? new Command.Malformed("a command without an id or a method") : Command.Call.bare(id, null);
        }
        if (id == 0 && !method.equals("send")) {
            return new Command.Malformed("a command without an id");
        }
        return new Command.Call(id, method, body);
    }
}
