/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.channels;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CommandParserTest {

    @Test
    void readsSeveralCommandsOfAFrameInOrder() {
        List<Command> commands = CommandParser.parse(
                "{\"id\":1,\"connect\":{\"token\":\"t\"}}\n{\"id\":2,\"subscribe\":{\"channel\":\"a\"}}\n{}\n");
        assertThat(commands).hasSize(3);
        assertThat(((Command.Call) commands.get(0)).method()).isEqualTo("connect");
        assertThat(((Command.Call) commands.get(0)).text("token")).isEqualTo("t");
        assertThat(((Command.Call) commands.get(1)).id()).isEqualTo(2);
        assertThat(commands.get(2)).isInstanceOf(Command.Pong.class);
    }

    @Test
    void aSendHasNoIdAndAnUnknownMethodHasNoMethod() {
        assertThat(CommandParser.parse("{\"send\":{\"data\":1}}").getFirst())
                .isEqualTo(new Command.Call(0, "send", (com.fasterxml.jackson.databind.node.ObjectNode)
                        io.switchboard.json.Json.read("{\"data\":1}", com.fasterxml.jackson.databind.JsonNode.class)));
        assertThat(((Command.Call)
                                CommandParser.parse("{\"id\":3,\"dance\":{}}").getFirst())
                        .method())
                .isNull();
    }

    @Test
    void whatCannotBeReadIsMalformedAndEndsTheFrame() {
        for (String bad : List.of(
                "",
                "\n\n",
                "nope",
                "[]",
                "1",
                "null",
                "{\"id\":\"1\",\"ping\":{}}",
                "{\"id\":1.5,\"ping\":{}}",
                "{\"id\":99999999999,\"ping\":{}}",
                "{\"id\":1,\"publish\":\"x\"}",
                "{\"publish\":{}}",
                "{\"id\":1",
                "{\"a\":" + "[".repeat(5000) + "]".repeat(5000) + "}")) {
            assertThat(CommandParser.parse(bad).getLast()).as(bad).isInstanceOf(Command.Malformed.class);
        }
        List<Command> cut = CommandParser.parse("{\"id\":1,\"ping\":{}}\nbroken\n{\"id\":2,\"ping\":{}}");
        assertThat(cut).hasSize(2);
        assertThat(cut.getLast()).isInstanceOf(Command.Malformed.class);
    }

    @Test
    void tooManyCommandsInOneFrameAreMalformed() {
        String frame = "{\"id\":1,\"ping\":{}}\n".repeat(CommandParser.MAX_COMMANDS_PER_FRAME + 1);
        List<Command> commands = CommandParser.parse(frame);
        assertThat(commands).hasSize(CommandParser.MAX_COMMANDS_PER_FRAME + 1);
        assertThat(commands.getLast()).isInstanceOf(Command.Malformed.class);
    }

    /** Random mutations of valid frames never make the parser throw: every line is read or malformed. */
    @Test
    void hostileFramesNeverThrow() {
        Random random = new Random(13);
        String[] seeds = {
            "{\"id\":1,\"connect\":{\"token\":\"a.b.c\",\"name\":\"js\"}}",
            "{\"id\":2,\"subscribe\":{\"channel\":\"news\",\"recover\":true,\"offset\":5,\"epoch\":\"e\"}}",
            "{\"id\":3,\"publish\":{\"channel\":\"c\",\"data\":{\"a\":[1,2,{\"b\":null}]}}}",
            "{\"id\":4,\"history\":{\"channel\":\"c\",\"limit\":10,\"since\":{\"offset\":1,\"epoch\":\"x\"}}}",
            "{}"
        };
        String alphabet = "{}[]\":,\n\\ 0123456789.-eEtruefalsnid\u0000\u00e9\ud83d\ude00";
        for (int round = 0; round < 20_000; round++) {
            StringBuilder frame = new StringBuilder(seeds[random.nextInt(seeds.length)]);
            int edits = 1 + random.nextInt(6);
            for (int i = 0; i < edits; i++) {
                int at = random.nextInt(frame.length() + 1);
                switch (random.nextInt(3)) {
                    case 0 -> frame.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                    case 1 -> {
                        if (at < frame.length()) {
                            frame.deleteCharAt(at);
                        }
                    }
                    default -> frame.insert(at, seeds[random.nextInt(seeds.length)]);
                }
            }
            List<Command> commands = CommandParser.parse(frame.toString());
            assertThat(commands).isNotEmpty();
            for (Command command : commands) {
                if (command instanceof Command.Call call) {
                    assertThat(call.method() == null || Command.METHODS.contains(call.method()))
                            .isTrue();
                    assertThat(call.id()).isBetween(0L, 0xFFFF_FFFFL);
                }
            }
        }
    }
}
