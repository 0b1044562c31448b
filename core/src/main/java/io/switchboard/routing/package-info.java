/** Routing: path patterns with named parameters, routes and immutable, nestable routers. */
package io.switchboard.routing;
