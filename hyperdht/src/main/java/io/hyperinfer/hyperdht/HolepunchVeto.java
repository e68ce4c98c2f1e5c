package io.hyperinfer.hyperdht;

import io.hyperinfer.encoding.HostPort;
import java.util.List;

/**
 * Decides whether to punch once both NATs are known (JS {@code opts.holepunch(remoteFirewall, localFirewall,
 * remoteAddresses, localAddresses)} of a server or a connect): false aborts the punch, and the peer hears ABORTED.
 * Called on the node loop (servers) or the connect's thread (clients); must not block.
 */
@FunctionalInterface
public interface HolepunchVeto {
  /** Punch whenever the NATs allow (the default). */
  HolepunchVeto ALWAYS = (remoteFirewall, localFirewall, remoteAddresses, localAddresses) -> true;

  /**
   * Never punch (JS {@code holepunch: false}): a server still tells clients its slot, but sets up no puncher and
   * waits only for clients that can reach it; a client fails where only a punch would reach the server.
   */
  HolepunchVeto NEVER = (remoteFirewall, localFirewall, remoteAddresses, localAddresses) -> false;

  /**
   * @param remoteFirewall the peer's {@link Firewall} class
   * @param localFirewall ours
   * @param remoteAddresses the peer's public addresses (may be null)
   * @param localAddresses ours (may be null)
   * @return whether to punch
   */
  boolean allow(long remoteFirewall, long localFirewall, List<HostPort> remoteAddresses,
      List<HostPort> localAddresses);
}
