/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.transport.websocket;

/**
 * Checks UTF-8 one byte at a time, keeping its place between calls, so that text arriving in pieces
 * (TCP reads, fragments) is judged as each byte comes: the first byte that cannot be part of valid
 * UTF-8 is refused at once, not when the message is whole. Follows the well-formed byte sequences
 * of the Unicode standard (table 3-7): no overlong forms, no surrogates, nothing above U+10FFFF.
 * Not thread-safe.
 */
final class Utf8Validator {

    /** Continuation bytes still due for the character in progress; 0 between characters. */
    private int due;
    /** The range the next continuation byte must fall in; only the first after a lead is narrower. */
    private int low = 0x80;

    private int high = 0xBF;

    /** Whether {@code b} may come next; once false, the text is invalid whatever follows. */
    boolean accept(byte b) {
        int value = b & 0xFF;
        if (due > 0) {
            if (value < low || value > high) {
                return false;
            }
            due--;
            low = 0x80;
            high = 0xBF;
            return true;
        }
        if (value < 0x80) {
            return true;
        }
        return lead(value);
    }

    /** A lead byte: how many continuation bytes follow, and the range of the first. */
    private boolean lead(int value) {
        if (value >= 0xC2 && value <= 0xDF) {
            due = 1;
        } else if (value >= 0xE0 && value <= 0xEF) {
            due = 2;
            if (value == 0xE0) {
                low = 0xA0; // shorter forms are overlong
            } else if (value == 0xED) {
                high = 0x9F; // U+D800 to U+DFFF are surrogates
            }
        } else if (value >= 0xF0 && value <= 0xF4) {
            due = 3;
            if (value == 0xF0) {
                low = 0x90; // overlong
            } else if (value == 0xF4) {
                high = 0x8F; // above U+10FFFF
            }
        } else {
            return false; // a stray continuation byte, C0, C1 (overlong) or F5 and up
        }
        return true;
    }

    /** Whether the text so far ends between characters: a message must. */
    boolean complete() {
        return due == 0;
    }

    /** Forgets the text so far, for a new message. */
    void reset() {
        due = 0;
        low = 0x80;
        high = 0xBF;
    }
}
