/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.channels;

import io.switchboard.engine.UnavailableException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Waits, on a connection's virtual thread, for the engine or the history; a failure becomes the
 * protocol's error: a {@link ChannelsException} stays itself, anything else is {@link
 * ErrorCode#INTERNAL} (which a client retries).
 */
final class Await {

    /** How long a command waits for the engine or the history. */
    static final long TIMEOUT_SECONDS = 10;

    private Await() {}

    static <T> T of(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw translate(e.getCause());
        } catch (TimeoutException e) {
            throw new ChannelsException(ErrorCode.INTERNAL, "the engine did not answer in " + TIMEOUT_SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChannelsException(ErrorCode.INTERNAL, "interrupted");
        }
    }

    /** {@code failure} as the protocol's error. */
    static ChannelsException translate(Throwable failure) {
        if (failure instanceof ChannelsException refused) {
            return refused;
        }
        if (failure instanceof UnavailableException) {
            return new ChannelsException(ErrorCode.INTERNAL, "the history is unavailable");
        }
        return new ChannelsException(ErrorCode.INTERNAL, String.valueOf(failure));
    }

    /** {@code operation}'s stage, or one failed with what it threw as the protocol's error. */
    static <T> CompletionStage<T> attempt(Supplier<CompletionStage<T>> operation) {
        try {
            return operation.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(translate(e));
        }
    }

    /** A stage failed with {@code failure} as the protocol's error: for {@code exceptionallyCompose}. */
    static <T> CompletionStage<T> failed(Throwable failure) {
        return CompletableFuture.failedFuture(translate(unwrap(failure)));
    }

    /** The cause a stage's failure wraps. */
    static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }
}
