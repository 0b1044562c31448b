package io.switchboard.routing;

import java.util.Map;

/**
 * A route that matched a path, and the values of its path parameters.
 *
 * @param route the route
 * @param params parameter values by name, decoded
 */
public record RouteMatch(Route route, Map<String, String> params) {
    public RouteMatch {
        params = Map.copyOf(params);
    }
}
