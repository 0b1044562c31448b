/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.channels.api;

import io.switchboard.channels.ChannelsApi;
import io.switchboard.channels.ChannelsException;
import io.switchboard.channels.ErrorCode;
import io.switchboard.http.HttpHandler;
import io.switchboard.http.HttpRequest;
import io.switchboard.http.HttpResponse;
import io.switchboard.routing.Router;
import io.switchboard.security.FailedAttempts;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Centrifugo's server API over HTTP: {@code POST /api/<method>} with a JSON body, answered with
 * {@code {"result":{...}}} or {@code {"error":{"code":N,"message":"..."}}}, calling {@link ChannelsApi};
 * {@code POST /api/batch} runs several methods and answers {@code {"replies":[...]}} (see {@code Batch}).
 *
 * <p>Status codes, as Centrifugo gives them: 200 for every reply of a method, refusals included (the
 * error is in the body: a missing channel is error 107, an unknown namespace 102); 400 with error 107
 * for a body that is not JSON of the method's shape (not JSON, a string where a number goes); 404
 * with error 104 for an unknown method; 405 for any method but POST. A call without the right key
 * ({@link ApiKey}), or any call when no key is set, gets 401. After {@link FailedAttempts#LIMIT} wrong
 * keys within {@link FailedAttempts#WINDOW} from one address (an IPv6 /64), its calls get 429 with
 * {@code Retry-After} without their key being checked, until the window ends; parallel calls cannot
 * get more checks than that (see {@link FailedAttempts}). The body is bounded by the server's HTTP body
 * limit (413 past it). Every refusal but a 429 is logged in one line (a 401 is one line a call); an
 * address is logged once when its calls start getting 429, and those lines are themselves limited to
 * one a second across all addresses. The key never is.
 */
public final class ServerApi implements HttpHandler {

    /** The route: {@code /api/} and the method's name. */
    public static final String PATH = "/api/{method}";

    private static final Logger log = LoggerFactory.getLogger(ServerApi.class);

    private final Methods methods;
    private final Batch batch;
    private final ApiKey key;
    private final FailedAttempts failures;

    /** The API on {@code api}, for callers with {@code key}; wrong keys slowed down by {@link FailedAttempts#of}. */
    public ServerApi(ChannelsApi api, ApiKey key) {
        this(api, key, FailedAttempts.of("server API key"));
    }

    /** As {@link #ServerApi(ChannelsApi, ApiKey)}, counting wrong keys in {@code failures}. */
    public ServerApi(ChannelsApi api, ApiKey key, FailedAttempts failures) {
        this.methods = new Methods(Objects.requireNonNull(api, "api"));
        this.batch = new Batch(methods);
        this.key = Objects.requireNonNull(key, "key");
        this.failures = Objects.requireNonNull(failures, "failures");
    }

    /** A router holding only {@link #PATH}, to mount beside one's own routes. */
    public Router router() {
        return Router.builder().http(PATH, this).build();
    }

    @Override
    public HttpResponse handle(HttpRequest request) {
        String name = request.scope().pathParam("method");
        String shown = printable(name);
        if (!request.method().equals("POST")) {
            log.info(
                    "server API: {} /api/{} from {} refused: only POST",
                    printable(request.method()),
                    shown,
                    from(request));
            return HttpResponse.text(405, "Method Not Allowed").withHeader("Allow", "POST");
        }
        HttpResponse refused = admit(request, shown);
        if (refused != null) {
            return refused;
        }
        Methods.Method method = name.equals(Batch.NAME) ? batch::call : methods.named(name);
        if (method == null) {
            log.info("server API: unknown method /api/{} from {}", shown, from(request));
            return reply(404, Replies.Reply.of(new ChannelsException(ErrorCode.METHOD_NOT_FOUND)));
        }
        return call(shown, method, request);
    }

    /** Null when the key is right; else the refusal: 429 while the address is slowed down, 401. */
    private HttpResponse admit(HttpRequest request, String shown) {
        String from = from(request);
        try (FailedAttempts.Attempt attempt =
                failures.attempt(request.scope().remoteAddress().getAddress())) {
            Optional<Duration> wait = attempt.refused();
            if (wait.isPresent()) {
                // Logged by FailedAttempts when the address was blocked: a flood of these is not logged again.
                return HttpResponse.text(429, "Too Many Requests")
                        .withHeader("Retry-After", String.valueOf(wait.get().toSeconds()));
            }
            ApiKey.Verdict verdict = key.check(request.scope());
            if (verdict == ApiKey.Verdict.ADMITTED) {
                return null;
            }
            if (verdict == ApiKey.Verdict.WRONG) {
                attempt.failed();
            }
            log.warn("server API: /api/{} from {} refused with 401: {}", shown, from, why(verdict));
            return HttpResponse.text(401, "Unauthorized");
        }
    }

    private HttpResponse call(String name, Methods.Method method, HttpRequest request) {
        try {
            Object result = method.call(request.body());
            // A batch's replies are the whole body, as Centrifugo writes them; any other result is wrapped.
            return reply(200, name.equals(Batch.NAME) ? result : Replies.Reply.of(result));
        } catch (ApiJson.Malformed e) {
            log.info("server API: /api/{} from {}: bad body: {}", name, from(request), e.getMessage());
            return reply(
                    400,
                    Replies.Reply.of(new ChannelsException(ErrorCode.BAD_REQUEST, "bad request: " + e.getMessage())));
        } catch (ChannelsException e) {
            log.info(
                    "server API: /api/{} refused: {} ({})",
                    name,
                    printable(e.getMessage()),
                    e.code().code());
            return reply(200, Replies.Reply.of(e));
        } catch (Methods.Failure e) {
            log.warn("server API: /api/{} failed: {}", name, printable(e.getMessage()));
            return reply(200, Replies.Reply.of(e.asRefusal()));
        } catch (RuntimeException e) {
            log.warn("server API: /api/{} failed: {}", name, printable(String.valueOf(e)));
            return reply(200, Replies.Reply.of(new ChannelsException(ErrorCode.INTERNAL)));
        }
    }

    private static HttpResponse reply(int status, Object reply) {
        return HttpResponse.of(status, "application/json", ApiJson.write(reply));
    }

    /**
     * {@code text} fit for one log line: control characters (a decoded {@code %0A} in the path) as
     * {@code ?}, and at most 100 characters.
     */
    static String printable(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder line = new StringBuilder(Math.min(text.length(), 101));
        for (int i = 0; i < text.length() && line.length() < 100; i++) {
            char c = text.charAt(i);
            line.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return text.length() > 100 ? line.append('…').toString() : line.toString();
    }

    private static String why(ApiKey.Verdict verdict) {
        return switch (verdict) {
            case DISABLED -> "the server API is off (no API key is set)";
            case MISSING -> "no key (neither X-API-Key nor Authorization: apikey)";
            case WRONG -> "wrong API key";
            case ADMITTED -> "admitted";
        };
    }

    private static String from(HttpRequest request) {
        return request.scope().remoteAddress().getAddress().getHostAddress();
    }
}
