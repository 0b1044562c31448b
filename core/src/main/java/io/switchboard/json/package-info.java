/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * The JSON mapper (Jackson, configured once) that messages, events, HTTP responses and tokens share.
 * Depends on nothing else in Switchboard; the handler that receives typed values is
 * {@link io.switchboard.session.JsonHandler}.
 */
package io.switchboard.json;
