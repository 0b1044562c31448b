/** Who is connecting: users, the authenticator hook, and checks made before the upgrade. */
package io.switchboard.security;
